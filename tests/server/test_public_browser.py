"""Public progress end to end (issue 9 item 10): a real village station registers a case
through its intake service and syncs it to a real ``suqiu-server serve`` process; its
township pulls it.  Then:

* the clear query code is in no event, outbox row, USB bundle, server record or pulled
  record; only the registering station has it (receipt, casebook search by code);
* Debian's chromium (headless, at a phone's size, driven by selenium through Debian's
  chromedriver) opens the public page, types the number and the code, and sees the steps;
  a wrong code shows the neutral refusal.

Without chromium these tests skip, except when env CI is set: then they fail loudly (as
the PostgreSQL fixture does, tests/server/conftest.py).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from petition_core.protocol import read_bundle
from petition_core.protocol.container import read_file_bundle
from sync_server.services.enrollment import create_code
from sync_server.store.db import make_engine, migrate_to_head
from sync_server.store.models import events

from .procs import ServerProcess

VILLAGE = "530921108203"      # 洛党镇 鹿鸣村
TOWNSHIP = "530921108000"     # 洛党镇
CHROMIUM = ("chromium", "chromium-browser")
DRIVER = "chromedriver"
SCREENSHOT = os.environ.get("SUQIU_PUBLIC_SCREENSHOT", "")   # where to save one (docs)


def _need(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI (scripts/setup.sh installs it)")
    pytest.skip(f"{what} not available")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian chromium at a phone's size (360×740 CSS pixels)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _need("selenium")
    binary = next((p for p in map(shutil.which, CHROMIUM) if p), None)
    driver_path = shutil.which(DRIVER) or (
        "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
    if binary is None or driver_path is None:
        _need("chromium and chromium-driver")
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=360,740", "--lang=zh-CN"):
        opts.add_argument(arg)
    opts.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 2.0}})
    drv = webdriver.Chrome(options=opts, service=Service(executable_path=driver_path))
    drv.set_page_load_timeout(30)
    yield drv
    drv.quit()


@pytest.fixture
def county(tmp_path: Path):  # type: ignore[no-untyped-def]
    """(server process, engine, village services, township services, registration)."""
    from station_app.paths import AppPaths
    from station_app.services import StationServices
    from tests.station.station_helpers import form

    db_url = f"sqlite:///{tmp_path / 'county.db'}"
    engine = make_engine(db_url)
    migrate_to_head(engine)
    srv = ServerProcess(db_url, tmp_path / "blobs")
    made = []
    try:
        def station(name: str, division: str, login: str) -> StationServices:
            svc = StationServices.open(AppPaths(tmp_path / login).ensure())
            svc.setup.initialise(division, name, login, login + "12345", "值班员")
            svc.sync.enroll(srv.base, create_code(engine, division=division))
            made.append(svc)
            return svc

        village = station("鹿鸣村群众诉求站", VILLAGE, "cun01")
        township = station("洛党镇群众诉求中心", TOWNSHIP, "zhen01")
        op = village.accounts.authenticate("cun01", "cun0112345")
        reg = village.intake.register(form(), op)
        yield srv, engine, village, township, reg
    finally:
        for svc in made:
            svc.close()
        srv.stop()
        engine.dispose()


def _db_bytes(path: Path, table: str, column: str) -> list[bytes]:
    con = sqlite3.connect(path)
    try:
        return [bytes(r[0]) if isinstance(r[0], bytes) else str(r[0]).encode()
                for r in con.execute(f"SELECT {column} FROM {table}")]
    finally:
        con.close()


def test_the_clear_code_stays_at_the_registering_station(county, tmp_path):
    from station_app.services.types import CaseQuery

    srv, engine, village, township, reg = county
    code = reg.query_code.encode()
    vdb = village.paths.db_path
    # the station's own log and outbox carry only the hash
    assert _db_bytes(vdb, "event", "payload") and _db_bytes(vdb, "outbox", "event_id")
    assert not any(code in p for p in _db_bytes(vdb, "event", "payload"))
    assert b"pbkdf2-sha256$" in b"".join(_db_bytes(vdb, "event", "payload"))
    # the USB bundle (decompressed) neither
    bundle = tmp_path / "push.suqiu"
    assert village.sync.export_bundle(bundle) == 1
    body = read_bundle(read_file_bundle(bundle)).body
    assert reg.case_no.encode() in body and code not in body
    # the receipt and the casebook here still know it
    assert village.documents.receipt_data(reg.case_id).query_code == reg.query_code
    found = village.casebook.query(CaseQuery(text=reg.query_code.lower()))
    assert [r.case_id for r in found.rows] == [reg.case_id]
    # pushed to the county: not in any stored record
    assert village.sync.sync_now().sent == 1
    with engine.connect() as conn:
        stored = [bytes(p) for p in conn.scalars(select(events.c.payload))]
    assert len(stored) == 1 and code not in stored[0]
    # pulled by the township: not there either, and not findable by code there
    township.sync.sync_now()
    tdb = township.paths.db_path
    pulled = _db_bytes(tdb, "event", "payload")
    assert len(pulled) == 1 and code not in pulled[0]
    assert not township.casebook.query(CaseQuery(text=reg.query_code)).rows
    assert township.documents.receipt_data(reg.case_id).query_code == ""
    # the public endpoint of the real server process answers with the code
    r = httpx.post(srv.base + "/public/v1/progress",
                   json={"case_no": reg.case_no, "code": reg.query_code}, timeout=10)
    assert r.status_code == 200 and [s["step"] for s in r.json()["steps"]] == ["registered"]


def _answer(drv) -> None:  # type: ignore[no-untyped-def]
    """Wait until the POSTed form's answer page is there (the steps or the refusal)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(drv, 20).until(lambda d: d.execute_script(
        "return document.readyState === 'complete' && "
        "!!document.querySelector('#steps, #refusal')"), message=drv.page_source[-600:])


def test_a_phone_browser_sees_the_steps_and_a_wrong_code_is_refused(county, browser):
    from selenium.webdriver.common.by import By

    srv, _engine, village, _township, reg = county
    village.sync.sync_now()
    drv = browser
    drv.get(srv.base + "/public/progress")
    assert "诉求办理进度查询" in drv.title
    assert drv.execute_script("return window.innerWidth") <= 400      # phone-sized
    drv.find_element(By.ID, "case_no").send_keys(reg.case_no)
    drv.find_element(By.ID, "code").send_keys(reg.query_code.lower())
    drv.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _answer(drv)
    steps = drv.find_element(By.ID, "steps").text
    assert "登记" in steps
    assert drv.find_element(By.ID, "status").text == "已登记"
    for word in ("李建华", "承包地", "cun01"):            # no person, no text, no clerk
        assert word not in drv.page_source
    # the page's own style applies under its strict CSP (a hash, no 'unsafe-inline'): a
    # policy that blocked it would leave a grey 13px button a thumb cannot hit
    button = drv.find_element(By.CSS_SELECTOR, "button[type=submit]")
    assert button.value_of_css_property("background-color") in ("rgb(10, 88, 202)",
                                                                "rgba(10, 88, 202, 1)")
    assert button.value_of_css_property("font-size") == "22px"
    # the text fits the phone's width: no sideways scrolling
    assert drv.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1")
    if SCREENSHOT:
        drv.save_screenshot(SCREENSHOT)
    # a wrong code: the neutral refusal, the number kept in the form to correct the code
    drv.get(srv.base + "/public/progress")
    drv.find_element(By.ID, "case_no").send_keys(reg.case_no)
    drv.find_element(By.ID, "code").send_keys("ABCDEF" if reg.query_code != "ABCDEF"
                                              else "ABCDEG")
    drv.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _answer(drv)
    refusal = drv.find_element(By.ID, "refusal").text
    assert "没有查到" in refusal
    assert drv.find_elements(By.ID, "steps") == []
    assert drv.find_element(By.ID, "case_no").get_attribute("value") == reg.case_no
