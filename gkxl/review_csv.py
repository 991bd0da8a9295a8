"""审核记录.csv: the office's review decisions as a file (read by `gkxl collect --reviews`, written by the web app's
inbox download). An interface, in the README's data section:

    单位名称,文件SHA256,结论,意见,审核人,时间
    甲局,<64 hex digits>,退回,表三第二列合计与正文不符，请核对后重报,张三,2026-01-20T09:30:00+08:00

one decision per line, oldest first; UTF-8 with or without BOM, or GB18030 (Excel on Chinese Windows); 结论 is 通过,
退回 or 重新开放; 时间 ISO 8601. Written as UTF-8 with BOM (Excel opens it as Chinese) and CRLF line ends.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from .errors import InputError
from .fsio import csv_error
from .review import MAX_OPINION, VERDICTS, Decision, parse_time

HEADER = ("单位名称", "文件SHA256", "结论", "意见", "审核人", "时间")
FILE_NAME = "审核记录.csv"
MAX_BYTES = 20 * 1024 * 1024
_SHA = re.compile(r"[0-9a-f]{64}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes, source: str) -> str:
    from .fsio import decode_csv

    return decode_csv(data, source, "审核记录的编码无法识别（应为 UTF-8 或 GB18030/GBK 编码的 CSV）")


def loads(text: str, source: str = FILE_NAME) -> list[tuple[int, Decision]]:
    """(line number, decision) for each line of the CSV text; InputError naming the line for a bad one."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out: list[tuple[int, Decision]] = []
    start = 1
    header_seen = False
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"第{start}行：CSV 格式错误（{csv_error(exc)}）", file=source) from None
        line, start = start, reader.line_num + 1
        cells = [c.replace("\ufeff", "").strip() for c in row]  # a BOM where two exported files were joined
        if not any(cells):
            continue  # a blank line
        if not header_seen:
            if tuple(cells) != HEADER:
                raise InputError(f"第{line}行：表头应为“{','.join(HEADER)}”", file=source)
            header_seen = True
            continue
        if tuple(cells) == HEADER:
            continue  # the header again (two exported files joined): no decision
        if len(cells) != len(HEADER):
            raise InputError(f"第{line}行：应有{len(HEADER)}列（{'、'.join(HEADER)}），这一行有{len(cells)}列", file=source)
        unit, sha, verdict, opinion, reviewer, when = cells
        bad = next((h for h, c in zip(HEADER, cells) if _CONTROL.search(c)), None)
        if bad:
            raise InputError(f"第{line}行：“{bad}”含控制字符", file=source)
        if not unit:
            raise InputError(f"第{line}行：单位名称为空", file=source)
        if not _SHA.fullmatch(sha.lower()):
            raise InputError(f"第{line}行：文件SHA256“{sha[:70]}”不是 64 位十六进制数", file=source)
        if verdict not in VERDICTS:
            raise InputError(f"第{line}行：结论“{verdict[:20]}”无效，应为通过、退回或重新开放", file=source)
        if not reviewer:
            raise InputError(f"第{line}行：审核人为空", file=source)
        if len(opinion) > MAX_OPINION:
            raise InputError(f"第{line}行：意见超过{MAX_OPINION}个字", file=source)
        try:
            parse_time(when)
        except ValueError as exc:
            raise InputError(f"第{line}行：{exc}", file=source) from None
        out.append((line, Decision(unit, sha.lower(), verdict, opinion, reviewer, when)))
    if not header_seen:
        raise InputError(f"审核记录是空的：第一行应为表头“{','.join(HEADER)}”", file=source)
    return out


def read(path: Path) -> list[tuple[int, Decision]]:
    """The decisions of a 审核记录.csv file, with their line numbers (see `loads`)."""
    from .fsio import read_regular

    return loads(decode(read_regular(path, MAX_BYTES, "审核记录文件过大", "审核记录文件"), str(path)), str(path))


def dumps(decisions: Sequence[Decision]) -> bytes:
    """The CSV of these decisions (UTF-8 with BOM, CRLF), oldest first as given."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADER)
    for d in decisions:
        writer.writerow((d.unit, d.sha256, d.verdict, d.opinion, d.reviewer, d.time))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
