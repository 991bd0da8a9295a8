"""The round in a real browser: headless Chromium (Debian's chromium + chromium-driver) driven by selenium.

A unit uploads through its page's own file input and sees its findings, fixes the workbook, uploads again and
downloads its Word report; the office's page, open all along, shows the status change without being reloaded.
Screenshots are saved in tests/_artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
import signal
import time
import zipfile

import pytest
from live_server import Server
from web_helpers import ROSTER, unbalanced, workbook

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="Chromium and chromedriver are not installed: .ci/run installs the Debian packages chromium and chromium-driver",
)


def chromium(downloads, *, script: bool = True):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1500", "--lang=zh-CN"):
        opts.add_argument(arg)
    prefs = {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    if not script:  # a browser whose JavaScript is switched off (as some offices' locked-down machines have it)
        prefs["profile.managed_default_content_settings.javascript"] = 2
    opts.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    return driver


@pytest.fixture
def browser(tmp_path):
    downloads = tmp_path / "下载"
    downloads.mkdir()
    driver = chromium(downloads)
    yield driver
    driver.quit()


@pytest.fixture
def scriptless_browser(tmp_path):
    downloads = tmp_path / "下载-无脚本"
    downloads.mkdir()
    driver = chromium(downloads, script=False)
    yield driver
    driver.quit()


def wait_for(predicate, seconds: float = 30, what: str = ""):
    end = time.monotonic() + seconds
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    while time.monotonic() < end:
        try:
            value = predicate()
        except (StaleElementReferenceException, NoSuchElementException):  # the page replaced that part meanwhile
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def board_status(browser, unit: str) -> str:
    """The status cell of a unit on the office's board (read in one script: the board may be replaced meanwhile)."""
    return browser.execute_script(
        "const td = document.querySelector('tr[data-unit=\"' + arguments[0] + '\"] td.status'); return td ? td.textContent : '';", unit)


def test_a_unit_fixes_its_workbook_in_the_browser_and_the_office_sees_it_live(tmp_path, browser, artifacts, demo_report):
    from selenium.webdriver.common.by import By

    roster = tmp_path / "单位名单.csv"
    roster.write_text("单位名称\n" + "\n".join(ROSTER) + "\n", encoding="utf-8")
    srv = Server(tmp_path, roster, extra=("--deadline", "2030-01-26")).start()
    try:
        browser.get(srv.office)
        assert "2023年度报送情况" in browser.page_source
        assert board_status(browser, "甲局") == "未提交"
        browser.execute_script("window.gkxlNotReloaded = true;")
        office_tab = browser.current_window_handle

        browser.switch_to.new_window("tab")
        browser.get(srv.links["甲局"])
        assert browser.find_element(By.ID, "unit-name").text == "甲局"
        assert not browser.find_element(By.ID, "submit").is_displayed()  # with script the file is sent when chosen
        bad = tmp_path / "甲局年报.xlsx"
        bad.write_bytes(unbalanced(demo_report, "甲局"))
        browser.find_element(By.ID, "file").send_keys(str(bad))
        status = wait_for(lambda: browser.find_elements(By.ID, "status") and "强制错误" in browser.find_element(By.ID, "status").text
                          and browser.find_element(By.ID, "status"), what="the verdict")
        assert status.text == "结论：2个强制错误"
        table = browser.find_element(By.CSS_SELECTOR, "table.findings").text
        assert "表三!E30" in table and "R-BALANCE.business" in table and "两者应相等（相差 -2）" in table
        assert "“说明”表中填写编号 R-TEXT-NUMBER.overview.requests" in table
        browser.save_screenshot(str(artifacts / "web-unit-1-findings.png"))

        browser.switch_to.window(office_tab)
        wait_for(lambda: board_status(browser, "甲局") == "有强制错误", what="the board")
        browser.switch_to.window(browser.window_handles[1])

        good = tmp_path / "甲局年报-改正.xlsx"
        good.write_bytes(workbook(demo_report, "甲局"))
        browser.find_element(By.ID, "file").send_keys(str(good))
        wait_for(lambda: browser.find_element(By.ID, "status").text == "结论：通过", what="the passing verdict")
        uploads = browser.find_element(By.ID, "uploads").text
        assert "甲局年报-改正.xlsx" in uploads and "甲局年报.xlsx" in uploads
        browser.save_screenshot(str(artifacts / "web-unit-2-passed.png"))
        link = browser.find_element(By.ID, "report-link")
        assert link.text == "下载本单位的年度报告（Word）"
        link.click()
        report = wait_for(lambda: [p for p in browser.downloads.iterdir() if p.suffix == ".docx"], what="the report download")[0]
        time.sleep(0.3)
        with zipfile.ZipFile(report) as z:
            assert "word/document.xml" in z.namelist() and not [n for n in z.namelist() if "draft" in n]
            assert "甲局" in z.read("word/document.xml").decode("utf-8")

        browser.switch_to.window(office_tab)
        wait_for(lambda: board_status(browser, "甲局") == "通过", what="the board")
        assert browser.execute_script("return window.gkxlNotReloaded === true;")  # updated in place, not reloaded
        assert "通过 1" in browser.find_element(By.ID, "counts").text
        browser.find_element(By.CSS_SELECTOR, 'tr[data-unit="甲局"] summary').click()
        browser.save_screenshot(str(artifacts / "web-office-board.png"))
    finally:
        srv.kill(signal.SIGTERM)


def test_a_workbook_dropped_on_the_page_is_checked(tmp_path, browser, artifacts, demo_report):
    import base64

    from selenium.webdriver.common.by import By

    roster = tmp_path / "单位名单.csv"
    roster.write_text("单位名称\n" + "\n".join(ROSTER) + "\n", encoding="utf-8")
    srv = Server(tmp_path, roster).start()
    try:
        browser.get(srv.links["乙局"])
        data = base64.b64encode(unbalanced(demo_report, "乙局")).decode()
        # what the browser does when a file is dragged from the desktop onto the drop zone
        browser.execute_script(
            """
            const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
            const file = new File([bytes], "拖进来的.xlsx");
            const dt = new DataTransfer();
            dt.items.add(file);
            const zone = document.getElementById("drop");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
            """,
            data,
        )
        wait_for(lambda: browser.find_elements(By.ID, "status") and "强制错误" in browser.find_element(By.ID, "status").text, what="the verdict")
        assert "拖进来的.xlsx" in browser.find_element(By.ID, "uploads").text
        assert "表三!E30" in browser.find_element(By.CSS_SELECTOR, "table.findings").text
        browser.save_screenshot(str(artifacts / "web-unit-3-dropped.png"))
    finally:
        srv.kill(signal.SIGTERM)


def test_without_javascript_the_form_uploads_and_the_office_board_groups_by_type(tmp_path, scriptless_browser, browser, artifacts, demo_report):
    """A unit whose browser runs no script uploads with the page's form and sees its verdict; the office's board
    (typed roster, deadline) groups the units by 类型 and says what the 汇总 lacks and the 按时提交率."""
    from collect_helpers import roster_csv
    from selenium.webdriver.common.by import By

    names = ["甲局", "乙局", "示例镇", "示例开发区"]
    roster = roster_csv(tmp_path / "单位名单.csv", names, ["部门", "部门", "乡镇（街道）", "开发区"])
    srv = Server(tmp_path, roster, extra=("--deadline", "2030-01-26")).start()
    nojs = scriptless_browser
    try:
        nojs.get(srv.links["甲局"])
        assert not nojs.find_element(By.ID, "submit").get_attribute("hidden")
        bad = tmp_path / "甲局年报.xlsx"
        bad.write_bytes(unbalanced(demo_report, "甲局"))
        nojs.find_element(By.ID, "file").send_keys(str(bad))
        assert nojs.find_element(By.ID, "submit").is_displayed()  # no script: the button is what sends the form
        nojs.find_element(By.ID, "submit").click()
        wait_for(lambda: "upload=" in nojs.current_url, what="the redirect to the verdict")
        assert nojs.find_element(By.ID, "status").text == "结论：2个强制错误"
        assert "表三!E30" in nojs.find_element(By.CSS_SELECTOR, "table.findings").text
        nojs.save_screenshot(str(artifacts / "web-unit-4-no-javascript.png"))
        good = tmp_path / "甲局年报-改正.xlsx"
        good.write_bytes(workbook(demo_report, "甲局"))
        nojs.find_element(By.ID, "file").send_keys(str(good))
        nojs.find_element(By.ID, "submit").click()
        wait_for(lambda: nojs.find_elements(By.ID, "status") and nojs.find_element(By.ID, "status").text == "结论：通过", what="the passing verdict")
        assert "甲局年报-改正.xlsx" in nojs.find_element(By.ID, "uploads").text

        browser.get(srv.office)
        groups = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "tr.group th")]
        assert groups == ["部门（2个单位：通过 1，未提交 1）", "乡镇（街道）（1个单位：未提交 1）", "开发区（1个单位：未提交 1）"]
        assert browser.find_element(By.ID, "complete").text == "本汇总不完整：以下单位的数据未纳入——乙局、示例镇、示例开发区。"
        assert browser.find_element(By.ID, "on-time").text == "按时提交率：25.00%（截止日期前提交1个，名单内共4个单位）"
        browser.find_element(By.CSS_SELECTOR, 'tr[data-unit="甲局"] summary').click()
        browser.save_screenshot(str(artifacts / "web-office-types.png"))
    finally:
        srv.kill(signal.SIGTERM)
