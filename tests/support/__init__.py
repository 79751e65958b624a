"""Helpers the tests share: portals, live servers, SDK and API shortcuts. No fixtures, no tests."""
