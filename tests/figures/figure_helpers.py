"""Reading a 一图读懂 back: the SVG's texts by key, the report's values they must equal, matplotlib's text boxes."""

from __future__ import annotations

import re
from decimal import Decimal

from lxml import etree

from gkxl.formats.common import HEADINGS
from gkxl.model import Report
from gkxl.values import format_number

SVG = "{http://www.w3.org/2000/svg}"
PIECE = re.compile(r"^(.*)--(\d+)$")


def svg_texts(data: bytes) -> dict[str, str]:
    """Key → text of every <text> of the SVG (a text wrapped over lines joined again); every <text> must have one."""
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    pieces: dict[str, dict[int, str]] = {}
    for text in root.iter(f"{SVG}text"):
        parent = text.getparent()
        gid = parent.get("id") if parent is not None else None
        assert gid, f"a text without a key: {text.text!r}"
        m = PIECE.match(gid)
        base, n = (m.group(1), int(m.group(2))) if m else (gid, 0)
        assert n not in pieces.get(base, {}), f"two texts under {gid}"
        pieces.setdefault(base, {})[n] = "".join(text.itertext())
    return {k: "".join(v[i] for i in sorted(v)) for k, v in pieces.items()}


def shown(value) -> str:
    return "—" if value is None else format_number(value)


def change(now, before) -> str:
    if now is None or before is None:
        return ""
    d = now - before
    return "与上年持平" if d == 0 else f"较上年 {'+' if d > 0 else '−'}{format_number(abs(d))}"


def result_groups(report: Report) -> dict[str, list[str]]:
    """表三's 办理结果 groups ((一)…(六)) → the 总计 cells of their rows, from the format's labels."""
    spec = report.spec
    results_label = next(f.row_labels[0] for f in spec.fields.values() if f.id.startswith("sec3.results_total."))
    out: dict[str, list[str]] = {}
    for f in spec.table("sec3").fields:
        if f.id.endswith(".total") and f.row_labels[0] == results_label and not f.id.startswith("sec3.results_total."):
            out.setdefault(f.row_labels[1], []).append(f.id)
    return out


def assert_figure_matches(report: Report, texts: dict[str, str], *, last: Report | None = None, extra: dict[str, str] | None = None) -> None:
    """Every number and label drawn equals the report's (and last year's for the changes); the ones that must be
    there are; shares add up to 100.0 %; no number is drawn that is not checked here."""
    spec = report.spec
    values = report.with_totals()
    before = last.with_totals() if last is not None else None
    assert texts.get("title:agency", "") + texts["title:subtitle"] == f"{report.agency}{report.year}年政府信息公开工作年度报告"
    assert texts["title:figure"] == "一图读懂"
    checked: set[str] = {"title:agency", "title:subtitle", "title:figure", "title:draft"}
    for key, text in (extra or {}).items():  # what the caller knows besides the tables (the 汇总's round)
        assert texts.get(key) == text, key
        checked.add(key)
    pct_tenths: list[int] = []
    groups = result_groups(report)
    total_results = values.get("sec3.results_total.total")
    for key, text in texts.items():
        kind, _, rest = key.partition(":")
        if rest in spec.fields:
            f = spec.fields[rest]
            if kind == "value":
                assert text == shown(values.get(rest)), key
            elif kind in ("label", "col", "row", "band"):
                assert text and any(text in lab for lab in f.row_labels + f.col_labels), (key, text)
            elif kind == "change":
                assert last is not None and text == change(values.get(rest), before.get(rest) if rest in last.spec.fields else None), key
            else:
                continue
            checked.add(key)
        elif kind in ("label", "value", "pct") and rest.startswith("share:"):
            label = rest.removeprefix("share:")
            (group,) = [g for g in groups if label in g]
            count = sum(values[c] for c in groups[group])
            if kind == "label":
                assert text == label
            elif kind == "value":
                assert text == f"{count}件"
            else:
                whole, frac = text.removesuffix("%").split(".")
                tenths = int(whole) * 10 + int(frac)
                assert len(frac) == 1
                assert abs(Decimal(tenths) - Decimal(count) * 1000 / total_results) < 1, (key, text)
                pct_tenths.append(tenths)
            checked.add(key)
        elif key.startswith("value:series:") or key.startswith("year:"):
            checked.add(key)  # the trend: checked by the caller against the years' reports
    if pct_tenths:
        assert sum(pct_tenths) == 1000  # 100.0 %
        assert len(pct_tenths) == len(groups)

    # What must be drawn: every 表二 value, the 表三 counts, the 表四 results unless there were none.
    for cid in spec.table("sec2").fields:
        assert f"value:{cid.id}" in texts, cid.id
    for cid in ("sec3.new_received.total", "sec3.carried_over.total", "sec3.carried_forward.total"):
        assert f"value:{cid}" in texts
    new_row = [f for f in spec.table("sec3").rows[0] if not f.is_total]  # 一、本年新收 by applicant
    if values.get(new_row[0].id) is not None and values.get("sec3.new_received.total") and all(values.get(f.id) is not None for f in new_row):
        for f in new_row:  # the applicants of the new applications are drawn, each its own cell
            assert texts[f"value:{f.id}"] == shown(values[f.id]), f.id
    new, carried = values.get("sec3.new_received.total"), values.get("sec3.carried_over.total")
    if new == 0 and carried == 0:
        assert texts["note:sec3"] == spec.declaration("no_applications").sentence.rstrip("。")
        assert not pct_tenths
    elif total_results:
        assert pct_tenths, "the 办理结果 shares are drawn"
    sec4_totals = [values.get(f.id) for f in spec.table("sec4").fields if f.is_total]
    if all(t == 0 for t in sec4_totals):
        assert texts["note:sec4"] == spec.declaration("no_appeals").sentence.rstrip("。") == "本年度未发生因政府信息公开引起的行政复议和行政诉讼"
    else:
        for f in spec.table("sec4").fields:
            assert texts[f"value:{f.id}"] == shown(values.get(f.id))
    # Section headings are the format's.
    for part, heading in (("part:sec2", HEADINGS[1]), ("part:sec3", HEADINGS[2]), ("part:sec4", HEADINGS[3])):
        assert heading.endswith(texts[part]) and len(texts[part]) >= len(heading) - 2
    # Nothing else drawn holds a digit (every number in the picture was compared above).
    for key, text in texts.items():
        if key in checked or key.startswith(("footer:", "part:", "band:", "grid:", "bars:", "shares:", "trend:", "note:", "legend:", "appeal:")):
            continue
        assert not re.search(r"\d", text), f"an unchecked number: {key} = {text}"


def text_boxes(fig) -> list[tuple[str, object]]:
    """(key, display bbox) of every text of a matplotlib figure, by its own renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    return [(t.get_gid(), t.get_window_extent(renderer)) for ax in fig.axes for t in ax.texts if t.get_text()]


def assert_no_overlap(fig) -> int:
    """No two texts' boxes intersect, and every box lies inside the canvas. Returns how many texts."""
    boxes = text_boxes(fig)
    page = fig.bbox
    for key, b in boxes:
        assert b.x0 >= page.x0 - 0.5 and b.x1 <= page.x1 + 0.5 and b.y0 >= page.y0 - 0.5 and b.y1 <= page.y1 + 0.5, f"{key} outside the canvas"
    ordered = sorted(boxes, key=lambda kb: kb[1].y0)
    for i, (k1, b1) in enumerate(ordered):
        for k2, b2 in ordered[i + 1:]:
            if b2.y0 >= b1.y1 - 0.5:
                break
            overlap_x = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
            overlap_y = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
            assert overlap_x <= 0.5 or overlap_y <= 0.5, f"{k1} overlaps {k2}"
    return len(boxes)
