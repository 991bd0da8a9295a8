"""`gkxl serve` and the 一图读懂: a unit's page offers its own picture once its upload has passed; the office's page
shows the 汇总's picture (collect's 汇总/一图读懂.png) and offers PNG and SVG."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest
from figure_helpers import assert_figure_matches, svg_texts

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from web_helpers import Web, unbalanced, unit_report, workbook  # noqa: E402

from gkxl.errors import InputError  # noqa: E402
from gkxl.figures import fonts  # noqa: E402

try:
    fonts.find_font()
    HAS_FONT = True
except InputError:
    HAS_FONT = False
pytestmark = pytest.mark.skipif(not HAS_FONT, reason="no CJK font on this machine: install fonts-noto-cjk (.ci/run does)")


@pytest.fixture
def web(tmp_path):
    w = Web(tmp_path / "data")
    yield w
    w.store.close()


def test_unit_gets_its_figure_after_passing_and_not_before(web, demo_report):
    bad = web.upload("甲局", unbalanced(demo_report, "甲局")).json()
    assert 'id="figure-link"' not in bad["verdict_html"]
    base = web.link("甲局")
    assert web.client.get(f"{base}/uploads/{bad['upload']}/figure.png").status_code == 409

    good = web.upload("甲局", workbook(demo_report, "甲局")).json()
    assert good["status"] == "通过"
    assert 'id="figure-link"' in good["verdict_html"]
    png = web.client.get(f"{base}/uploads/{good['upload']}/figure.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert struct.unpack(">I", png.content[16:20])[0] == 2160
    svg = web.client.get(f"{base}/uploads/{good['upload']}/figure.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert_figure_matches(unit_report(demo_report, "甲局"), svg_texts(svg.content))
    # Only through its own link, and only the two kinds.
    assert web.client.get(f"{web.link('乙局')}/uploads/{good['upload']}/figure.png").status_code == 404
    assert web.client.get(f"{base}/uploads/{good['upload']}/figure.gif").status_code == 404


def test_office_page_shows_the_summary_figure_once_a_unit_passed(web, demo_report):
    page = web.client.get(web.office).text
    assert 'class="figure"' not in page
    web.upload("甲局", workbook(demo_report, "甲局"))
    page = web.client.get(web.office).text
    assert f'src="{web.office}/figure.png"' in page
    png = web.client.get(f"{web.office}/figure.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    svg = web.client.get(f"{web.office}/download/figure.svg")
    assert svg.status_code == 200
    texts = svg_texts(svg.content)
    summary = unit_report(demo_report, "示例市示例区")  # the 汇总 of the one passing unit is its numbers
    assert_figure_matches(summary, texts, extra={"value:round:included": "1", "value:round:roster": "4",
                                                 "note:incomplete": "汇总不完整：3个单位的数据未纳入（见报送状态表）"})
    assert web.client.get(f"/o/{'x' * 40}/figure.png").status_code == 404
