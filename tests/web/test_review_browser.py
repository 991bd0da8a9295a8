"""The office's 审核 in a real browser (headless Chromium via selenium), with and without JavaScript: return with a
reason, the unit sees it and uploads again, accept (the unit's page is locked), reopen, upload again. Screenshots
are saved in tests/_artifacts/."""

from __future__ import annotations

import signal

import pytest
from live_server import Server
from test_browser import CHROMIUM, DRIVER, browser, scriptless_browser, wait_for  # noqa: F401 (fixtures)
from web_helpers import ROSTER, workbook

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="Chromium and chromedriver are not installed: .ci/run installs the Debian packages chromium and chromium-driver",
)

REASON = "许可件数与正文不一致，请核对后重报"


def review_state(driver, unit: str) -> str:
    return driver.execute_script(
        "const td = document.querySelector('tr[data-unit=\"' + arguments[0] + '\"] td.review'); return td ? td.getAttribute('data-review') : null;", unit)


def act(driver, unit: str, verdict: str, opinion: str, reviewer: str | None = None) -> None:
    """Type the 意见 (and, without script, the 审核人) in the unit's row and press the verdict's button."""
    from selenium.webdriver.common.by import By

    row = driver.find_element(By.CSS_SELECTOR, f'tr[data-unit="{unit}"]')
    box = row.find_element(By.CSS_SELECTOR, "textarea[name=opinion]")
    box.clear()
    box.send_keys(opinion)
    if reviewer is not None:
        field = row.find_element(By.CSS_SELECTOR, "input[name=reviewer]")
        field.clear()
        field.send_keys(reviewer)
    row.find_element(By.CSS_SELECTOR, f'button[value="{verdict}"]').click()


def roster_file(tmp_path):
    path = tmp_path / "单位名单.csv"
    path.write_text("单位名称\n" + "\n".join(ROSTER) + "\n", encoding="utf-8")
    return path


def test_the_review_loop_with_javascript_on_both_pages(tmp_path, browser, artifacts, demo_report):  # noqa: F811
    from selenium.webdriver.common.by import By

    srv = Server(tmp_path, roster_file(tmp_path)).start()
    files = {}
    for i, n in enumerate((5, 6, 8), 1):
        files[i] = tmp_path / f"甲局年报-{i}.xlsx"
        files[i].write_bytes(workbook(demo_report, "甲局", **{"sec2.licensing.decisions": n}))
    try:
        browser.get(srv.office)
        office = browser.current_window_handle
        name = browser.find_element(By.ID, "reviewer-name")
        assert name.is_displayed()
        browser.switch_to.new_window("tab")
        browser.get(srv.links["甲局"])
        unit = browser.current_window_handle
        browser.find_element(By.ID, "file").send_keys(str(files[1]))
        wait_for(lambda: browser.find_element(By.ID, "status").text == "结论：通过", what="the verdict")

        browser.switch_to.window(office)
        wait_for(lambda: review_state(browser, "甲局") == "待审核", what="the 审核 column")
        # without a 审核人 name the action is not sent; the page asks for it
        act(browser, "甲局", "退回", REASON)
        msg = browser.find_element(By.CSS_SELECTOR, 'tr[data-unit="甲局"] .review-message').text
        assert "请先在页面上方填写审核人姓名" in msg
        name.send_keys("王审核")
        # a return without a reason is refused, with the rule's words
        act(browser, "甲局", "退回", "短")
        wait_for(lambda: "退回须写明原因（至少6个字）" in browser.find_element(By.CSS_SELECTOR, 'tr[data-unit="甲局"] .review-message').text,
                 what="the refusal")
        act(browser, "甲局", "退回", REASON)
        wait_for(lambda: review_state(browser, "甲局") == "已退回", what="已退回")
        browser.save_screenshot(str(artifacts / "web-review-1-office-returned.png"))

        browser.switch_to.window(unit)
        browser.refresh()
        banner = browser.find_element(By.ID, "returned")
        assert REASON in banner.text and "王审核" in banner.text
        browser.save_screenshot(str(artifacts / "web-review-2-unit-returned.png"))
        browser.find_element(By.ID, "file").send_keys(str(files[2]))
        wait_for(lambda: not browser.find_elements(By.ID, "returned"), what="the banner to go with the new upload")
        assert "甲局年报-2.xlsx" in browser.find_element(By.ID, "history").text

        browser.switch_to.window(office)
        wait_for(lambda: review_state(browser, "甲局") == "待审核", what="待审核 after the new upload")
        act(browser, "甲局", "通过", "")
        wait_for(lambda: review_state(browser, "甲局") == "已通过", what="已通过")

        browser.switch_to.window(unit)
        browser.refresh()
        assert "已审核通过并锁定" in browser.find_element(By.ID, "locked").text
        assert not browser.find_element(By.ID, "file").is_enabled()
        # a file dropped on the locked page is refused by the server, in one line
        browser.execute_script(
            """const dt = new DataTransfer(); dt.items.add(new File([new Uint8Array([80, 75])], "再交一次.xlsx"));
               document.getElementById("drop").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));""")
        wait_for(lambda: "已由政务公开办审核通过并锁定" in browser.find_element(By.ID, "progress").text, what="the refusal")
        browser.save_screenshot(str(artifacts / "web-review-3-unit-locked.png"))

        browser.switch_to.window(office)
        act(browser, "甲局", "重新开放", "单位申请更正许可件数")
        wait_for(lambda: review_state(browser, "甲局") == "待审核", what="reopened")
        browser.switch_to.window(unit)
        browser.refresh()
        browser.find_element(By.ID, "file").send_keys(str(files[3]))
        wait_for(lambda: "甲局年报-3.xlsx" in browser.find_element(By.ID, "uploads").text, what="the upload after reopening")
        history = [e.get_attribute("data-kind") for e in browser.find_elements(By.CSS_SELECTOR, "#history li")]
        assert history == ["上传", "退回", "上传", "通过", "重新开放", "上传"]

        browser.switch_to.window(office)
        browser.refresh()  # the name is remembered by this browser
        assert browser.find_element(By.ID, "reviewer-name").get_attribute("value") == "王审核"
        link = browser.find_element(By.CSS_SELECTOR, 'tr[data-unit="乙局"] input.link-text').get_attribute("value")
        assert link == srv.links["乙局"]
        chase = browser.find_element(By.ID, "chase-text").get_attribute("value")
        assert "未报送（3个）：乙局、丙局、<b>丁局</b>" in chase and "尚未审核通过（1个）：甲局" in chase
        button = browser.find_element(By.CSS_SELECTOR, 'button[data-copy="chase"]')
        button.click()
        wait_for(lambda: button.text == "已复制", what="the copy button")
        browser.find_element(By.CSS_SELECTOR, 'tr[data-unit="甲局"] details.unit-history summary').click()
        browser.save_screenshot(str(artifacts / "web-review-4-office.png"))
    finally:
        srv.kill(signal.SIGTERM)


def test_the_review_loop_without_javascript(tmp_path, scriptless_browser, artifacts, demo_report):  # noqa: F811
    from selenium.webdriver.common.by import By

    nojs = scriptless_browser
    srv = Server(tmp_path, roster_file(tmp_path)).start()
    files = {}
    for i, n in enumerate((5, 6, 8), 1):
        files[i] = tmp_path / f"乙局年报-{i}.xlsx"
        files[i].write_bytes(workbook(demo_report, "乙局", **{"sec2.licensing.decisions": n}))

    def upload(path):
        nojs.get(srv.links["乙局"])
        nojs.find_element(By.ID, "file").send_keys(str(path))
        nojs.find_element(By.ID, "submit").click()

    try:
        upload(files[1])
        wait_for(lambda: "upload=" in nojs.current_url, what="the verdict")
        nojs.get(srv.office)
        assert nojs.find_element(By.CSS_SELECTOR, 'tr[data-unit="乙局"] input[name=reviewer]').is_displayed()
        act(nojs, "乙局", "退回", "短", reviewer="李审核")
        wait_for(lambda: "退回须写明原因" in nojs.page_source, what="the refusal page")
        nojs.find_element(By.ID, "back").click()
        act(nojs, "乙局", "退回", REASON, reviewer="李审核")
        wait_for(lambda: review_state(nojs, "乙局") == "已退回", what="已退回")

        nojs.get(srv.links["乙局"])
        assert REASON in nojs.find_element(By.ID, "returned").text
        upload(files[2])
        wait_for(lambda: "upload=" in nojs.current_url, what="the verdict")
        assert not nojs.find_elements(By.ID, "returned")

        nojs.get(srv.office)
        act(nojs, "乙局", "通过", "", reviewer="李审核")
        wait_for(lambda: review_state(nojs, "乙局") == "已通过", what="已通过")
        nojs.get(srv.links["乙局"])
        assert nojs.find_element(By.ID, "locked").is_displayed() and not nojs.find_element(By.ID, "submit").is_enabled()

        nojs.get(srv.office)
        act(nojs, "乙局", "重新开放", "单位申请更正许可件数", reviewer="李审核")
        wait_for(lambda: review_state(nojs, "乙局") == "待审核", what="reopened")
        upload(files[3])
        wait_for(lambda: "upload=" in nojs.current_url, what="the verdict")
        assert nojs.find_element(By.ID, "status").text == "结论：通过"
        kinds = [e.get_attribute("data-kind") for e in nojs.find_elements(By.CSS_SELECTOR, "#history li")]
        assert kinds == ["上传", "退回", "上传", "通过", "重新开放", "上传"]
        assert "李审核" in nojs.find_element(By.ID, "history").text
        nojs.save_screenshot(str(artifacts / "web-review-5-no-javascript.png"))
    finally:
        srv.kill(signal.SIGTERM)
