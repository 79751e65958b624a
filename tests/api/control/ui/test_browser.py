"""The UI in a real browser: Debian's headless Chromium, driven by Selenium.

Runs wherever ``chromium`` and ``chromedriver`` are installed (``apt-get install chromium
chromium-driver``); skipped with that reason elsewhere, and a failure under CI=true,
where ``.ci/run`` installs them. Screenshots go to ``docs/img/ui/`` (gitignored), which
``docs/ui.md`` embeds; set HUBGRAPH_UI_SCREENSHOTS to write them elsewhere.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from hubgraph.testing import HubgraphServer
from tests.support.ui import seed_ui_scenario

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
REPO = Path(__file__).resolve().parents[4]
SHOTS = Path(os.environ.get("HUBGRAPH_UI_SCREENSHOTS", REPO / "docs" / "img" / "ui"))
UI = "/_hubgraph/ui"
WAIT_SECONDS = 10


def _require_chromium() -> None:
    if os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER):
        return
    reason = (
        f"no Chromium/chromedriver at {CHROMIUM} and {CHROMEDRIVER} "
        "(apt-get install chromium chromium-driver)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser tests")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    _require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubgraphServer]:
    """On SQLite only: the browser checks the pages and their scripts; every query behind
    them runs on both databases in the HTTP tests beside this one."""
    database = tmp_path_factory.mktemp("browser-db") / "hubgraph.db"
    with HubgraphServer(f"sqlite:///{database}") as running:
        yield running


class Session:
    """One walk through the UI: pages opened, console checked, screenshots taken."""

    def __init__(self, driver: Any, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url

    def open(self, path: str) -> None:
        self.driver.get(self.base_url + path)
        self.no_console_errors()

    def wait_for(self, condition: Any) -> Any:
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, WAIT_SECONDS).until(condition)

    def css(self, selector: str) -> Any:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def all_css(self, selector: str) -> list[Any]:
        from selenium.webdriver.common.by import By

        return list(self.driver.find_elements(By.CSS_SELECTOR, selector))

    def no_console_errors(self) -> None:
        logs = self.driver.get_log("browser")
        errors = [e for e in logs if e["level"] in ("SEVERE", "ERROR")]
        assert not errors, errors

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(SHOTS / f"{name}.png"))


def test_every_page_in_chromium(driver: Any, server: HubgraphServer, tmp_path: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    portal = server.new_portal("Browser test portal")
    portal_id = portal.id
    with httpx.Client(base_url=server.base_url, headers=portal.headers) as api:
        s = seed_ui_scenario(api)
        api.get(f"/crm/v3/objects/contacts/{s.alice}")  # something for the requests page
        ui = Session(driver, server.base_url)

        # portals → portal → contacts
        ui.open(f"{UI}/")
        assert "Portals" in ui.css("h1").text
        ui.shot("portals")
        ui.css(f'a[href="{UI}/portals/{portal_id}"]').click()
        ui.wait_for(lambda d: d.current_url.endswith(f"/portals/{portal_id}"))
        ui.shot("portal")
        ui.css(f'a.card[href="{UI}/portals/{portal_id}/objects/contacts"]').click()

        # the search box: "/" focuses it, Enter filters
        ui.wait_for(lambda d: d.current_url.endswith("/objects/contacts"))
        ui.css("body").send_keys("/")
        focused = driver.switch_to.active_element
        assert focused.get_attribute("id") == "q"
        focused.send_keys("alice", Keys.ENTER)
        ui.wait_for(lambda d: "q=alice" in d.current_url)
        rows = ui.all_css("table tbody tr")
        assert len(rows) == 1
        assert "Alice Smith" in rows[0].text
        ui.no_console_errors()
        ui.shot("records")

        # record → associated record
        rows[0].find_element("css selector", "a").click()
        ui.wait_for(lambda d: d.current_url.endswith(f"/objects/contacts/{s.alice}"))
        badges = ui.all_css('section[data-to-type="0-2"] .badge')
        assert {b.get_attribute("data-category") for b in badges} == {
            "HUBSPOT_DEFINED",
            "USER_DEFINED",
        }
        ui.no_console_errors()
        ui.shot("record")
        ui.css(f'a.associated[href="{UI}/portals/{portal_id}/objects/companies/{s.acme}"]').click()
        ui.wait_for(lambda d: d.current_url.endswith(f"/objects/companies/{s.acme}"))
        assert "Acme" in ui.css("main h2").text
        ui.no_console_errors()

        # the graph: Alice's neighbours, then Acme's (Bob appears)
        ui.open(f"{UI}/portals/{portal_id}/objects/contacts/{s.alice}/graph")
        ui.wait_for(lambda d: len(ui.all_css("svg.graph g.node")) == 4)
        settled = 'svg.graph[data-settled="true"]'
        ui.wait_for(lambda d: ui.all_css(settled))
        assert not ui.all_css(f'g.node[data-key="0-1:{s.bob}"]')
        ui.css(f'g.node[data-key="0-2:{s.acme}"] circle').click()
        ui.wait_for(lambda d: ui.all_css(f'g.node[data-key="0-1:{s.bob}"]'))
        ui.wait_for(lambda d: ui.all_css(settled))
        # keyboard: Enter on a focused node expands it too (Globex has only Alice)
        driver.execute_script(
            "document.querySelector(arguments[0]).focus()", f'g.node[data-key="0-2:{s.globex}"]'
        )
        driver.switch_to.active_element.send_keys(Keys.ENTER)
        ui.wait_for(
            lambda d: (
                "expanded" in ui.css(f'g.node[data-key="0-2:{s.globex}"]').get_attribute("class")
            )
        )
        assert (
            ui.css("#graph-selection a")
            .get_attribute("href")
            .endswith(f"/objects/companies/{s.globex}")
        )
        ui.wait_for(lambda d: ui.all_css(settled))
        ui.no_console_errors()
        ui.shot("graph")

        # labels and limits
        ui.open(f"{UI}/portals/{portal_id}/labels")
        assert "Manager" in ui.css("table.pair-types").text
        ui.shot("labels")

        # requests: expand the newest
        ui.open(f"{UI}/portals/{portal_id}/requests")
        first = ui.css("details.request")
        first.find_element("css selector", "summary").click()
        assert first.get_attribute("open") is not None
        assert "Response body" in first.text
        ui.shot("requests")

        # webhooks: none sent in this portal, and the page says so
        ui.open(f"{UI}/portals/{portal_id}/webhooks")
        assert "No webhook events" in ui.css("main").text

        # actions: download a snapshot (over HTTP), reset, restore from the file
        snapshot_file = tmp_path / "snapshot.json"
        snapshot_file.write_bytes(
            httpx.get(server.base_url + f"{UI}/portals/{portal_id}/snapshot.json").content
        )
        ui.open(f"{UI}/portals/{portal_id}/actions")
        ui.shot("actions")
        ui.css("#reset-confirm").send_keys(str(portal_id))
        ui.css("#reset-form button").click()
        ui.wait_for(lambda d: "done=reset" in d.current_url)
        assert "was reset" in ui.css(".notice.ok").text
        assert api.get("/crm/v3/objects/contacts").json()["results"] == []
        ui.css("#snapshot").send_keys(str(snapshot_file))
        ui.css("#restore-confirm").send_keys(str(portal_id))
        ui.css("#restore-form button").click()
        ui.wait_for(lambda d: "done=restored" in d.current_url)
        assert len(api.get("/crm/v3/objects/contacts").json()["results"]) == 2
        ui.no_console_errors()

        # dark mode, as a browser that prefers it sees the record page
        driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-color-scheme", "value": "dark"}]},
        )
        ui.open(f"{UI}/portals/{portal_id}/objects/contacts/{s.alice}")
        ui.shot("record-dark")
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
