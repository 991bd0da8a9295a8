"""Importing a folder of published reports: the files found, each imported in a worker, one summary row per file."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from . import SUFFIXES, ImportResult, import_file


def published_files(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The published reports in a folder and its subfolders (sorted), and the other files with why they are not read."""
    found: list[Path] = []
    other: list[tuple[Path, str]] = []
    for f in sorted(folder.rglob("*")):
        rel = f.relative_to(folder)
        if any(part.startswith((".", "~$")) for part in rel.parts):
            continue
        if f.is_symlink():
            other.append((f, "符号链接，未读取"))
        elif f.is_file():
            if f.suffix.lower() in SUFFIXES:
                found.append(f)
            else:
                other.append((f, "不是可导入的文件类型（.txt .html .htm .docx .doc .pdf）"))
    return found, other


@dataclass
class Imported:
    """One file of a batch: its result, or why it could not be used."""

    path: Path
    result: ImportResult | None = None
    error: str | None = None

    @property
    def read(self) -> int:
        return len(self.result.report.values) if self.result else 0

    @property
    def unread(self) -> int:
        return len(self.result.unread_cells) if self.result else 0


def _one(path: Path) -> Imported:
    try:
        return Imported(path, import_file(path))
    except InputError as exc:
        return Imported(path, error=exc.message)
    except RecursionError:
        return Imported(path, error="文件结构嵌套过深，无法读取")


def import_many(paths: Sequence[Path], *, jobs: int | None = None, progress: Callable[[int, int], None] | None = None) -> list[Imported]:
    """Import each file (in `jobs` processes; default all cores), in the order given; progress(done, total)."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths) or 1))
    done = 0
    results: list[Imported] = []
    if jobs == 1 or len(paths) < 2:
        for p in paths:
            results.append(_one(p))
            done += 1
            if progress:
                progress(done, len(paths))
        return results
    with ProcessPoolExecutor(jobs) as pool:
        for item in pool.map(_one, paths, chunksize=max(1, len(paths) // (jobs * 8))):
            results.append(item)
            done += 1
            if progress:
                progress(done, len(paths))
    return results
