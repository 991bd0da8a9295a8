"""Every file of the corpus of real published reports (../shared/corpus) read through the one import entry point,
and compared with its truth: each value read is the value printed, the cells not read are exactly those pinned in
corpus_pins.py (so a regression on any real file fails), a cell the truth says cannot be read for certain is never
read, and the arithmetic errors the printed numbers carry are found — no more, no fewer.

The corpus is someone else's text: it is read from ../shared/corpus, never copied here; without it these tests
are skipped with the reason.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest

from gkxl.errors import InputError
from gkxl.importers import ImportResult, import_file
from gkxl.rules import run_rules
from importers.corpus_pins import UNREAD

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
ARITHMETIC = ("R-BALANCE", "R-RESULTS-SUM", "R-ROW-TOTAL", "R-SEC4-TOTAL")
# Cells a report may carry that its truth leaves out on purpose: 政府集中采购 of the 2019 format (see the corpus
# README), and the three （六） sub-items, set to 0 from a （六）其他处理 printed as one row of zeros.
NOT_IN_TRUTH = ("sec2.procurement.", "sec3.other.")

needs_corpus = pytest.mark.skipif(not (CORPUS / "files").is_dir(), reason=f"语料库 {CORPUS} 不存在（真实年报的测试需要 ../shared/corpus）")


def _file(cid: str) -> Path:
    found = sorted((CORPUS / "files").glob(f"{cid}_*"))
    assert len(found) == 1, f"{cid}: {found}"
    return found[0]


@lru_cache(maxsize=None)
def _truth(cid: str) -> tuple[dict, dict]:
    truth = json.loads((CORPUS / "truth" / f"{cid}.json").read_text(encoding="utf-8"))
    expect = json.loads((CORPUS / "truth" / f"{cid}.expect.json").read_text(encoding="utf-8"))
    return truth, expect


@lru_cache(maxsize=None)
def _read(cid: str) -> ImportResult:
    """As score.py and a user do: as it comes; with --year/--agency from the truth only when asked for them."""
    truth, _ = _truth(cid)
    try:
        return import_file(_file(cid))
    except InputError as e:
        if "--year" not in str(e) and "--agency" not in str(e):
            raise
        return import_file(_file(cid), year=truth["year"], agency=truth["agency"])


def _same(read, printed) -> bool:
    return Decimal(str(read)) == Decimal(str(printed).replace(",", ""))


@needs_corpus
@pytest.mark.parametrize("cid", sorted(UNREAD))
def test_every_value_read_is_the_value_printed(cid):
    truth, _ = _truth(cid)
    r = _read(cid)
    assert r.report.format == truth["format"] and r.report.year == truth["year"]
    wrong = {k: (v, truth["values"][k]) for k, v in r.report.values.items() if k in truth["values"] and not _same(v, truth["values"][k])}
    assert wrong == {}
    # nothing read that the report does not print (or that the truth says cannot be read for certain)
    extra = [k for k in r.report.values if k not in truth["values"] and not k.startswith(NOT_IN_TRUTH)]
    assert extra == []
    assert [k for k in truth.get("unreadable", []) if k in r.report.values] == []


@needs_corpus
@pytest.mark.parametrize("cid", sorted(UNREAD))
def test_the_cells_not_read_are_as_pinned(cid):
    truth, _ = _truth(cid)
    r = _read(cid)
    unread = sorted(k for k in truth["values"] if k not in r.report.values)
    assert unread == UNREAD[cid], "fewer cells read than pinned is a regression; more: update corpus_pins.py"
    if unread:
        # and what is not read is said, with its raw text (never dropped in silence)
        assert r.unreadable or r.notes


@needs_corpus
@pytest.mark.parametrize("cid", sorted(UNREAD))
def test_the_arithmetic_errors_printed_are_found_and_nothing_else(cid):
    _, expect = _truth(cid)
    r = _read(cid)
    found = {f.key for f in run_rules(r.report, found=r.findings) if f.rule in ARITHMETIC}
    assert found == {f"{v['rule']}.{v['scope']}" for v in expect.get("violations", [])}


@needs_corpus
def test_the_corpus_is_the_one_pinned():
    assert sorted(p.name.split("_", 1)[0] for p in (CORPUS / "files").iterdir()) == sorted(UNREAD)
