""".docx as hostile input, in every place gkxl reads one: `import`, `check --previous`, `report --reference`.

A zip bomb is refused from the zip's directory before anything is inflated (declared size, compression ratio,
total), a part whose header lies is cut at its cap, and a DTD in any XML part is refused — also in a reference
document, whose parts would otherwise be copied into every report. Each refusal is one Chinese line naming the
file, exit 2, and the run never inflates the bomb (its memory stays far below what the bomb holds).
"""

from __future__ import annotations

from dataclasses import replace

import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from workbook_helpers import raw_zip

from gkxl.errors import InputError
from gkxl.importers import import_file
from gkxl.model import report_from_json
from gkxl.word.reference import bundled_reference
from gkxl.word.writer import build_report

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "gkxl" / "data" / "demo_2023.json"
PREVIOUS = ROOT / "gkxl" / "data" / "demo_2022.json"
LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b"]>"
)


def run_gkxl(*args: str | Path, cwd: Path) -> tuple[int, str, int]:
    """The real command in a new process: exit code, its output, and the process's peak memory in MB."""
    # VmHWM is this process's own peak (ru_maxrss may carry the parent's peak over the exec on Linux).
    code = (
        "import resource, sys\n"
        "from gkxl.cli.app import app\n"
        "def peak():\n"
        "    try:\n"
        "        with open('/proc/self/status') as fh:\n"
        "            return next(int(l.split()[1]) for l in fh if l.startswith('VmHWM')) // 1024\n"
        "    except (OSError, StopIteration):\n"
        "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024\n"
        "try:\n    app(sys.argv[1:], prog_name='gkxl')\n"
        "except SystemExit as e:\n"
        "    print(f'@@RSS {peak()}', file=sys.stderr)\n"
        "    raise\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300,
                          env=dict(os.environ, COLUMNS="200"))
    text = proc.stdout + proc.stderr
    rss_line = next(line for line in text.splitlines() if line.startswith("@@RSS"))
    return proc.returncode, text.replace(rss_line + "\n", "").replace(rss_line, ""), int(rss_line.split()[1])


def one_error_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text and "Error" not in text, text
    return lines[0]


def good_docx(path: Path, source: Path = PREVIOUS) -> Path:
    report, found = report_from_json(source.read_text(encoding="utf-8"))
    assert not found
    path.write_bytes(build_report(report))
    return path


def repack(src: Path, dst: Path, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> Path:
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    parts.update(replace)
    parts.update(add)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return dst


def with_dtd(xml: bytes) -> bytes:
    """The part with a billion-laughs DTD before its root (after its XML declaration, if it has one)."""
    body = xml.split(b"?>", 1)[1].lstrip() if xml.startswith(b"<?xml") else xml
    return LAUGHS + body


def bomb_docx(src: Path, dst: Path, megabytes: int = 190) -> Path:
    """A ~600 KB .docx whose word/document.xml inflates to `megabytes` MB: a real report's body, repeated.

    The deflate stream is made block by block and written with the other parts by hand (tests/workbook_helpers.raw_zip).
    """
    with zipfile.ZipFile(src) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    document = parts.pop("word/document.xml")
    head, _, rest = document.partition(b"<w:body>")
    body, _, tail = rest.rpartition(b"</w:body>")
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = bytearray(comp.compress(head + b"<w:body>"))
    crc = zlib.crc32(head + b"<w:body>")
    size = len(head) + len(b"<w:body>")
    # Half the bytes the title paragraph repeated, half empty paragraphs: a ratio of some 350, as the audit's file had.
    paragraph = body[: body.index(b"</w:p>") + len(b"</w:p>")]
    block = paragraph * ((1 << 19) // len(paragraph)) + b"<w:p/>" * ((1 << 19) // 6)
    while size < megabytes << 20:
        stream += comp.compress(block)
        crc = zlib.crc32(block, crc)
        size += len(block)
    end = b"</w:body>" + tail
    stream += comp.compress(end) + comp.flush()
    crc = zlib.crc32(end, crc)
    size += len(end)
    entries = [(name, data, 0, len(data), zlib.crc32(data)) for name, data in parts.items()]
    entries.append(("word/document.xml", bytes(stream), 8, size, crc))
    dst.write_bytes(raw_zip(entries))
    return dst


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("bomb")
    path = bomb_docx(good_docx(tmp / "上年.docx"), tmp / "炸弹.docx")
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("word/document.xml")
        assert info.file_size > 185 << 20 and 400_000 < path.stat().st_size < 800_000, (info.file_size, path.stat().st_size)
        assert z.testzip() is None  # a well-formed zip: only its size is hostile
    return path


# ------------------------------------------------------------------------------------------------- zip bombs


def test_the_bomb_is_refused_by_import_from_its_header(bomb, tmp_path):
    code, text, rss = run_gkxl("import", bomb, "-o", tmp_path / "out.json", cwd=tmp_path)
    line = one_error_line(text)
    assert code == 2 and bomb.name in line and "压缩炸弹" in line and "word/document.xml" in line, text
    assert "声明 190 MB" in line  # refused from the zip's directory: nothing was inflated
    assert rss < 150, f"{rss} MB: the bomb was inflated"
    assert not (tmp_path / "out.json").exists()


def test_the_bomb_is_refused_as_previous_year_report(bomb, tmp_path):
    code, text, rss = run_gkxl("check", DEMO, "--previous", bomb, cwd=tmp_path)
    line = one_error_line(text)
    assert code == 2 and bomb.name in line and "压缩炸弹" in line and "声明 190 MB" in line, text
    assert rss < 150, f"{rss} MB: the bomb was inflated"


def test_the_bomb_is_refused_as_reference_document(bomb, tmp_path):
    target = tmp_path / "报告.docx"
    code, text, rss = run_gkxl("report", DEMO, "-o", target, "--reference", bomb, cwd=tmp_path)
    line = one_error_line(text)
    assert code == 2 and bomb.name in line and "压缩炸弹" in line and "样式参考文档" in line and "声明 190 MB" in line, text
    assert rss < 150, f"{rss} MB: the bomb was inflated"
    assert not target.exists()


def test_an_image_that_inflates_a_thousandfold_is_refused_by_its_ratio(tmp_path):
    src = good_docx(tmp_path / "好.docx")
    path = repack(src, tmp_path / "图片炸弹.docx", add={"word/media/image1.bmp": bytes(50 << 20)})
    with pytest.raises(InputError, match="压缩比异常") as exc:
        import_file(path)
    assert path.name in str(exc.value)


def test_a_part_whose_header_lies_about_its_size_is_cut_at_the_cap(tmp_path, monkeypatch):
    """The directory says 4 KB; reading stops there (zipfile honours the declared size) and the part is refused."""
    src = good_docx(tmp_path / "好.docx")
    with zipfile.ZipFile(src) as z:
        entries = [(n, zlib.compress(z.read(n))[2:-4], 8, z.getinfo(n).file_size, z.getinfo(n).CRC) for n in z.namelist()]
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    big = b"<w:p>" * (8 << 20)
    data = comp.compress(big) + comp.flush()
    entries = [e for e in entries if e[0] != "word/document.xml"] + [("word/document.xml", data, 8, 4096, zlib.crc32(big))]
    path = tmp_path / "说谎.docx"
    path.write_bytes(raw_zip(entries))
    with pytest.raises(InputError) as exc:
        import_file(path)
    assert path.name in str(exc.value) and ("损坏" in exc.value.message or "XML" in exc.value.message)


# ------------------------------------------------------------------------------------------------- DTDs and entities


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "word/settings.xml", "word/_rels/document.xml.rels",
                                  "[Content_Types].xml", "word/numbering.xml"])
def test_a_dtd_in_any_part_of_an_imported_report_is_refused(tmp_path, part):
    src = good_docx(tmp_path / "好.docx")
    with zipfile.ZipFile(src) as z:
        original = z.read(part) if part in z.namelist() else None
    if original is None:  # numbering.xml: a part Word documents with lists have
        original = b'<?xml version="1.0"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
        path = repack(src, tmp_path / "实体.docx", add={part: with_dtd(original)})
    else:
        path = repack(src, tmp_path / "实体.docx", replace={part: with_dtd(original)})
    with pytest.raises(InputError, match="不安全的 XML 实体声明") as exc:
        import_file(path)
    assert path.name in str(exc.value) and part in str(exc.value)


def test_an_external_entity_in_a_previous_report_is_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MACHINE-SECRET-42", encoding="utf-8")
    src = good_docx(tmp_path / "好.docx")
    with zipfile.ZipFile(src) as z:
        document = z.read("word/document.xml")
    dtd = f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'.encode()
    body = document.split(b"?>", 1)[1].replace(b"<w:t>", b"<w:t>&x;", 1)
    path = repack(src, tmp_path / "外部实体.docx", replace={"word/document.xml": dtd + body})
    code, text, _ = run_gkxl("check", DEMO, "--previous", path, cwd=tmp_path)
    line = one_error_line(text)
    assert code == 2 and path.name in line and "不安全的 XML 实体声明" in line and "MACHINE-SECRET" not in text, text


@pytest.mark.parametrize("part", ["word/styles.xml", "word/footer1.xml", "word/settings.xml", "word/theme/theme1.xml",
                                  "word/fontTable.xml", "word/_rels/document.xml.rels", "docProps/core.xml"])
def test_a_reference_with_a_billion_laughs_dtd_is_refused_not_copied(tmp_path, part):
    with zipfile.ZipFile(bundled_reference()) as z:
        original = z.read(part)
    ref = repack(bundled_reference(), tmp_path / "样式.docx", replace={part: with_dtd(original)})
    target = tmp_path / "报告.docx"
    code, text, _ = run_gkxl("report", DEMO, "-o", target, "--reference", ref, cwd=tmp_path)
    line = one_error_line(text)
    assert code == 2 and ref.name in line and "不安全的 XML 实体声明" in line and part in line, text
    assert not target.exists()


def test_reports_written_with_the_bundled_reference_carry_no_dtd(tmp_path):
    good = good_docx(tmp_path / "好.docx", DEMO)
    with zipfile.ZipFile(good) as z:
        assert not any(b"<!DOCTYPE" in z.read(n) for n in z.namelist())
    assert import_file(good).report.year == 2023  # and gkxl's own report still imports



def test_a_roster_workbook_with_a_dtd_is_refused_before_openpyxl_reads_it(tmp_path):
    """The roster is the other .xlsx gkxl reads (through openpyxl): the same opener checks it first."""
    import openpyxl

    roster = tmp_path / "名单.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["单位名称"])
    wb.active.append(["示例局"])
    wb.save(roster)
    with zipfile.ZipFile(roster) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    bad = repack(roster, tmp_path / "实体名单.xlsx", replace={"xl/worksheets/sheet1.xml": with_dtd(sheet)})
    code, text, _ = run_gkxl("template", "--roster", bad, "--year", "2023", "-o", tmp_path / "模板", cwd=tmp_path)
    line = one_error_line(text)
    assert code == 2 and bad.name in line and "不安全的 XML 实体声明" in line, text
    assert not (tmp_path / "模板").exists()


def test_the_bomb_in_collects_previous_folder_is_named_and_the_round_goes_on(bomb, tmp_path):
    from workbook_helpers import write_workbook

    report, _ = report_from_json(DEMO.read_text(encoding="utf-8"))
    inbox, previous = tmp_path / "收件箱", tmp_path / "上年"
    inbox.mkdir()
    previous.mkdir()
    # the unit's workbook is of another unit, so nothing is summed: the round draws no 一图读懂 (matplotlib's canvas
    # alone takes some 100 MB), and the peak memory measured is the reading of the previous folder's files
    write_workbook(replace(report, agency="名单外的局"), inbox / "人社局.xlsx")
    (previous / f"{report.agency}2022.docx").write_bytes(bomb.read_bytes())
    roster = tmp_path / "名单.csv"
    roster.write_text(f"单位名称\n{report.agency}\n", encoding="utf-8")
    code, text, rss = run_gkxl("collect", inbox, "--roster", roster, "--year", "2023", "--previous", previous,
                               "--jobs", "1", "-o", tmp_path / "输出", cwd=tmp_path)
    assert code in (0, 1), text
    assert "压缩炸弹" in text and f"{report.agency}2022.docx" in text, text
    assert "声明 190 MB" in text, text  # refused from the zip's directory, in the worker, before inflating
    assert rss < 150, f"{rss} MB: the bomb was inflated"
    assert "Traceback" not in text


def test_a_main_part_under_another_name_is_checked_as_xml(tmp_path):
    """The rels may point python-docx at "word/body.dat", declared XML in [Content_Types].xml: it is an XML part
    for the limits and the DTD check too, whatever its name."""
    src = good_docx(tmp_path / "好.docx")
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/body.dat"] = with_dtd(parts.pop("word/document.xml"))
    parts["word/document.xml"] = parts["word/body.dat"].split(b"]>", 1)[1]  # a harmless decoy under the usual name
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b'PartName="/word/document.xml"', b'PartName="/word/body.dat"')
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b'Target="word/document.xml"', b'Target="word/body.dat"')
    path = tmp_path / "改名.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    with pytest.raises(InputError, match="不安全的 XML 实体声明") as exc:
        import_file(path)
    assert "word/body.dat" in str(exc.value) and path.name in str(exc.value)
    # and by size: the same part 30 MB of XML, declared, is refused from the directory
    parts["word/body.dat"] = b"<w:document>" + os.urandom(15 << 20).hex().encode() + b"</w:document>"  # ratio about 2
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    with pytest.raises(InputError, match="word/body.dat.*声明 30 MB"):
        import_file(path)
