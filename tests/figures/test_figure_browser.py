"""The SVG as a browser shows it: headless Chromium (Debian's chromium + chromium-driver, selenium) opens the
一图读懂's SVG; its texts are the report's, laid out by the browser's own font metrics no two texts overlap and
none leaves the picture, and the CJK font is the one named. Screenshots go to tests/_artifacts/figures/."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from figure_helpers import svg_texts

from gkxl.errors import InputError
from gkxl.figures import fonts
from gkxl.figures.content import report_content
from gkxl.figures.draw import W, render
from gkxl.formats import Kind, get_format
from gkxl.model import Report

from conftest import ARTIFACTS  # noqa: E402 (tests/conftest.py)
from reports import balance

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
try:
    FONT = fonts.find_font()
except InputError:
    FONT = None

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None or DRIVER is None,
                       reason="Chromium and chromedriver are not installed: .ci/run installs the Debian packages chromium and chromium-driver"),
    pytest.mark.skipif(FONT is None, reason="no CJK font on this machine: install fonts-noto-cjk (.ci/run does)"),
]

# Every text of the SVG: its key (the id of its group), its text, its box in CSS px; and the picture's box.
READ = """
const out = [];
for (const t of document.querySelectorAll('text')) {
  const r = t.getBoundingClientRect();
  out.push([t.parentNode.id, t.textContent, r.left, r.top, r.right, r.bottom]);
}
const s = document.documentElement.getBoundingClientRect();
return [out, [s.left, s.top, s.right, s.bottom]];
"""


def _report(values_of, agency, fmt="2021", year=2024, previous=0):
    spec = get_format(fmt)
    draw = {Kind.COUNT: values_of, Kind.SIGNED: lambda: -99, Kind.AMOUNT: lambda: Decimal("999999.999999")}
    report = balance(Report(fmt, year, agency, {cid: draw[spec.fields[cid].kind]() for cid in spec.inputs}))
    earlier = [balance(Report("2021", year - k, agency, {cid: draw[spec.fields[cid].kind]() for cid in spec.inputs}))
               for k in range(1, previous + 1)]
    return report, earlier


CASES = {
    "browser-six-digits-agency-40-draft": (lambda: 999_999, "示例省示例市示例区人民政府办公室示例街道办事处综合行政执法大队示例社区居民委员会", True, 2),
    "browser-zero": (lambda: 0, "示例县交通运输局", False, 0),
    "browser-demo-like": (lambda: 5, "示例市示例区人力资源和社会保障局", False, 1),
}


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1080,1200", "--lang=zh-CN"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


@pytest.mark.parametrize("case", list(CASES))
def test_svg_in_chromium_holds_the_reports_text_without_overlap(case, browser, tmp_path):
    values_of, agency, draft, previous = CASES[case]
    report, earlier = _report(values_of, agency, previous=previous)
    data = render(report_content(report, earlier, draft=draft), FONT, "svg")
    path = tmp_path / "一图读懂.svg"
    path.write_bytes(data)
    browser.get(path.as_uri())
    texts, page = browser.execute_script(READ)
    left, top, right, bottom = page
    assert right - left == pytest.approx(W, abs=1)  # 1080 CSS px wide

    # The browser shows exactly the SVG's texts (each under its key), which the other tests compare with the report.
    expected = svg_texts(data)
    shown: dict[str, str] = {}
    for key, text, *_ in texts:
        base, _, n = key.rpartition("--") if "--" in key else (key, "", "0")
        shown[base] = shown.get(base, "") + text
    assert shown == expected
    assert shown["value:sec3.new_received.total"] == str(report.with_totals()["sec3.new_received.total"])

    # Laid out by Chromium's font metrics: inside the picture and no two texts on one another.
    boxes = [(k, x0, y0, x1, y1) for k, _t, x0, y0, x1, y1 in texts]
    for k, x0, y0, x1, y1 in boxes:
        assert x0 >= left - 1 and x1 <= right + 1 and y0 >= top - 1 and y1 <= bottom + 1, f"{k} outside the picture"
    for i, (k1, a0, b0, a1, b1) in enumerate(boxes):
        for k2, c0, d0, c1, d1 in boxes[i + 1:]:
            ox = min(a1, c1) - max(a0, c0)
            oy = min(b1, d1) - max(b0, d0)
            assert ox <= 1 or oy <= 1, f"{k1} overlaps {k2} in Chromium"

    # The font the SVG names first is the one on this machine, and the browser has it.
    assert browser.execute_script(f"return document.fonts.check(\"24px '{FONT.family}'\", '政府信息公开')")

    height = int(bottom - top) + 1
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": W, "height": height, "deviceScaleFactor": 1, "mobile": False})
    folder = ARTIFACTS / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{case}.png").write_bytes(browser.get_screenshot_as_png())
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_office_page_shows_the_summary_figure_in_chromium(browser, tmp_path, demo_report):
    """A real `gkxl serve`: after a unit passes, the office's page shows the 汇总's picture (loaded, 2160 px wide),
    and the unit's verdict offers its own."""
    import sys
    from pathlib import Path
    from urllib.parse import quote

    import httpx

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
    from live_server import Server
    from web_helpers import ROSTER, workbook

    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称\n" + "\n".join(ROSTER) + "\n", encoding="utf-8")
    server = Server(tmp_path, roster).start()
    try:
        link = server.links["甲局"]
        r = httpx.post(f"{link}/upload", content=workbook(demo_report, "甲局"), timeout=120,
                       headers={"x-file-name": quote("年报.xlsx"), "x-csrf-token": server.csrf("甲局"), "content-type": "application/octet-stream"})
        assert r.json()["status"] == "通过"
        browser.set_window_size(1280, 1500)
        browser.get(link)
        assert browser.find_element("id", "figure-link").get_attribute("href").endswith("/figure.png")
        (ARTIFACTS / "figures").mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "figures" / "unit-page.png").write_bytes(browser.get_screenshot_as_png())
        browser.get(server.office)
        import time

        end = time.monotonic() + 120
        width = 0
        while time.monotonic() < end and not width:
            width = browser.execute_script("const i = document.querySelector('img.figure'); return i && i.complete ? i.naturalWidth : 0")
            time.sleep(0.5)
        assert width == 2160
        folder = ARTIFACTS / "figures"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "office-page.png").write_bytes(browser.get_screenshot_as_png())
    finally:
        server.kill()
