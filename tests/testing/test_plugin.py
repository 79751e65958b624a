"""The pytest plugin as a user meets it: installed, not configured, in their own suite.

The user's test file is the example in docs/testing.md, so the docs stay copy-paste true.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[2] / "docs" / "testing.md"


def example_test_file() -> str:
    blocks = re.findall(r"```python\n(.*?)```", EXAMPLE.read_text(), re.DOTALL)
    return str(blocks[0])


def test_the_documented_example_passes_with_no_configuration(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUBGRAPH_TEST_DATABASE_URL", raising=False)
    pytester.makepyfile(test_hubspot_sync=example_test_file())
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_the_documented_webhooks_example_passes(pytester: pytest.Pytester) -> None:
    blocks = re.findall(r"```python\n(.*?)```", EXAMPLE.read_text(), re.DOTALL)
    [example] = [b for b in blocks if "hubgraph_webhooks" in b]
    pytester.makepyfile(test_hubspot_webhooks=example)
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_database_can_be_chosen(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("HUBGRAPH_TEST_DATABASE_URL", database_url)
    pytester.makepyfile(
        f"""
        def test_portal_on_that_database(hubgraph_server, hubspot_client):
            assert hubgraph_server.services.settings.database_url == {database_url!r}
            assert hubspot_client.crm.objects.basic_api.get_page("contacts").results == []
        """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_hubspot_client_without_the_sdk_fails_saying_what_to_install(
    pytester: pytest.Pytester,
) -> None:
    # pytester restores sys.modules after an in-process run
    pytester.makeconftest("import sys\nsys.modules['hubspot'] = None\n")
    pytester.makepyfile("def test_it(hubspot_client):\n    pass\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    assert "needs HubSpot's SDK: pip install 'hubgraph[sdk]'" in result.stdout.str()


def test_importing_the_plugin_imports_no_server_parts() -> None:
    # pytest loads the plugin in every session of every project that installs hubgraph
    heavy = ["fastapi", "sqlalchemy", "uvicorn", "hubspot", "hubgraph.app"]
    code = (
        "import sys, hubgraph.testing.plugin, hubgraph.testing\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_plugin_fixture_is_autouse(request: pytest.FixtureRequest) -> None:
    # our own suite runs with the plugin loaded (through its entry point)
    assert "hubgraph_server" in request.config.pluginmanager.get_plugin("hubgraph").__dict__
    ours = [n for n in request.fixturenames if n.startswith("hubgraph") or n == "hubspot_client"]
    assert ours == []
