"""`template --roster` stamps each unit's name into one built workbook (gkxl/excel/stamp.py): every part of a
stamped workbook is the part a full build writes for that unit, for any name a roster may hold."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkxl.excel.reader import read_with_identity
from gkxl.excel.stamp import Stamp
from gkxl.excel.writer import build_workbook
from gkxl.model import Report


def build(report: Report) -> bytes:
    return build_workbook(report, lock_agency=True)


STAMPS = {(f, y): Stamp(f, y, build) for f, y in (("2021", 2025), ("2019", 2020))}

# what roster names are made of: CJK, Latin letters and digits, the punctuation of unit names, and the characters
# that must be escaped or that the workbook already holds as a string of its own
NAME_CHARS = st.sampled_from(list("示例市区县人民政府办公室教育局（）()·-—、0123456789ABCabc 甲乙丙&<>\"'_x年度局"))
NAMES = st.text(NAME_CHARS, min_size=1, max_size=100).map(str.strip).filter(bool)


def parts(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        assert z.testzip() is None
        return {n: z.read(n) for n in z.namelist()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES, fmt=st.sampled_from(sorted(STAMPS)))
def test_a_stamped_template_is_part_for_part_the_full_build(name, fmt):
    stamped = STAMPS[fmt].make(name)
    full = build(Report(fmt[0], fmt[1], name))
    assert list(parts(stamped)) == list(parts(full))
    assert parts(stamped) == parts(full)


def test_names_that_need_escaping_or_are_the_workbooks_own_strings_are_built_in_full():
    stamp = STAMPS[("2021", 2025)]
    for name in ("A&B局", "<甲>局", "年度", "甲_x0041_局"):
        assert not stamp.stampable(name)
        assert parts(stamp.make(name)) == parts(build(Report("2021", 2025, name)))


def test_a_stamped_template_opens_and_reads_back_as_its_unit(tmp_path):
    stamp = STAMPS[("2021", 2025)]
    for i, name in enumerate(["示例市示例区教育局", "示例市示例区人力资源和社会保障局" * 3, "乙"]):
        path = tmp_path / f"{i}.xlsx"
        path.write_bytes(stamp.make(name))
        loaded, ident = read_with_identity(path)
        assert ident.agency == name and ident.year == 2025
        wb = openpyxl.load_workbook(path)
        assert wb["基本信息"]["B2"].value == name


def test_libreoffice_opens_a_stamped_template(tmp_path, soffice):
    from gkxl.office import convert

    path = tmp_path / "甲.xlsx"
    path.write_bytes(STAMPS[("2021", 2025)].make("示例市示例区教育局"))
    (tmp_path / "out").mkdir()
    saved = convert(path, "xlsx", tmp_path / "out")  # opened and saved again by LibreOffice
    wb = openpyxl.load_workbook(saved, data_only=True)  # the values LibreOffice calculated and saved
    assert wb["基本信息"]["B2"].value == "示例市示例区教育局"
    assert wb["表三"]["A2"].value == "填报单位：示例市示例区教育局\u3000\u3000\u3000\u3000年度：2025"
