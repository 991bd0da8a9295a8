"""Writing outputs safely: atomically (temporary file, then rename), and never over an existing file without force."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError

# The operating system's reasons a user can act on, in their words; anything else keeps the system's own text.
_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "所在位置只读，不能写入",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘空间配额已满",
    errno.ENOENT: "无法在此位置创建文件",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
    errno.EISDIR: "已有同名的文件夹",
    errno.EEXIST: "已有同名的文件",
    errno.EINVAL: "文件名无效",
}


# ... and why an input cannot be read. An errno without words here is named by its number, never in English.
_READ_REASONS = {
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.ENOENT: "文件不存在",
    errno.ELOOP: "符号链接指向自身或层数过多",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.EIO: "读取时出现输入输出错误（磁盘或网络盘故障）",
    errno.ENXIO: "设备不存在",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.ENODEV: "设备不存在",
    errno.EOVERFLOW: "文件过大，无法读取",
}


def read_reason(exc: OSError) -> str:
    """Why an input could not be read, in Chinese words (a system's English text is never shown)."""
    n = exc.errno or 0
    return _READ_REASONS.get(n) or _REASONS.get(n) or (f"操作系统错误，错误号 {n}" if n else "操作系统错误")


def write_error(exc: OSError, path: str | os.PathLike) -> InputError:
    """An output that cannot be written, as one Chinese line naming it (exit 2, not an internal error)."""
    n = exc.errno or 0
    reason = _REASONS.get(n) or _READ_REASONS.get(n) or (f"操作系统错误，错误号 {n}" if n else "操作系统错误")
    return InputError(f"无法写入：{reason}", file=str(path))


def exists(path: str | os.PathLike) -> bool:
    """Path.exists() that answers False where the name cannot even be looked up (too long): writing it then says why."""
    try:
        return Path(path).exists()
    except OSError:
        return False


def is_dir(path: str | os.PathLike) -> bool:
    try:
        return Path(path).is_dir()
    except OSError:
        return False


def make_dir(path: str | os.PathLike) -> Path:
    """Create a folder (and its parents) for outputs; InputError naming it when that is impossible."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(exc, folder) from None
    return folder


def refuse_overwrite(path: Path, force: bool) -> None:
    if exists(path) and not force:
        raise InputError("输出文件已存在；如需覆盖，请加 --force", file=str(path))


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it is renamed onto `path`, on failure removed.

    The body should turn its own OSError while writing into `write_error(exc, path)`; setting up and
    renaming are covered here.
    """
    target = Path(path)
    refuse_overwrite(target, force)
    make_dir(target.parent)
    try:
        # A short temporary name: the target's own name may be just under the file system's limit.
        fd, tmp = tempfile.mkstemp(prefix=".gkxl.", suffix=target.suffix[:16] + ".part", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise write_error(exc, target) from None
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if not force and exists(target):
            raise InputError("输出文件已存在；如需覆盖，请加 --force", file=str(target))
        try:
            os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; an output should have the usual permissions
            os.replace(tmp_path, target)
        except OSError as exc:
            raise write_error(exc, target) from None
    finally:
        with contextlib.suppress(OSError):
            tmp_path.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: str | os.PathLike, data: bytes, *, force: bool = False) -> Path:
    with atomic_path(path, force=force) as tmp:
        try:
            tmp.write_bytes(data)
        except OSError as exc:
            raise write_error(exc, path) from None
    return Path(path)


def write_text(path: str | os.PathLike, text: str, *, force: bool = False) -> Path:
    return write_bytes(path, text.encode("utf-8"), force=force)


def sha256_of(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open_regular(path) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# Reading: only regular files -----------------------------------------------------------------------------------

_NOT_REGULAR = {
    stat.S_IFIFO: "是一个管道（FIFO）",
    stat.S_IFCHR: "是一个设备",
    stat.S_IFBLK: "是一个设备",
    stat.S_IFSOCK: "是一个套接字",
    stat.S_IFDIR: "是一个文件夹",
}


def not_regular_reason(st: os.stat_result) -> str:
    """Why a file of this stat cannot be read as an input ("" for a regular file)."""
    if stat.S_ISREG(st.st_mode):
        return ""
    return _NOT_REGULAR.get(stat.S_IFMT(st.st_mode), "不是普通文件") + "，不是普通文件，不予读取"


def regular_file(path: str | os.PathLike, what: str = "文件") -> os.stat_result:
    """The stat of an input that must be a regular file; a FIFO or device would block a reader forever."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{what}不存在", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"{what}无法读取（{read_reason(exc)}）", file=str(path)) from None
    why = not_regular_reason(st)
    if why:
        raise InputError(f"{what}{why}", file=str(path))
    return st


def open_regular(path: str | os.PathLike, what: str = "文件"):
    """Open an input for reading without ever blocking on it (O_NONBLOCK), refusing what is not a regular file.

    The check is made on the opened file itself, so a file swapped for a FIFO after a stat is still refused.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise InputError(f"{what}不存在", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"{what}无法读取（{read_reason(exc)}）", file=str(path)) from None
    why = not_regular_reason(os.fstat(fd))
    if why:
        os.close(fd)
        raise InputError(f"{what}{why}", file=str(path))
    return os.fdopen(fd, "rb")


def read_regular(path: str | os.PathLike, limit: int, too_big: str, what: str = "文件") -> bytes:
    """The bytes of a regular file of at most `limit` bytes; InputError otherwise (a FIFO never blocks)."""
    with open_regular(path, what) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputError(too_big, file=str(path))
    return data


def display_name(name: str | os.PathLike) -> str:
    """A file name as a person should see it, always encodable: names that are not UTF-8 (GBK bytes from a
    Windows zip unpacked on Linux) are decoded as GB18030 where they decode, else shown with \\x escapes."""
    text = os.fspath(name)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    raw = os.fsencode(text)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")


def printable(text: str) -> str:
    """Text with lone surrogates (from broken input) shown as \\udxxx, so it can be written and printed."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="backslashreplace").decode("utf-8")


# A folder of outputs replaced whole (collect's OUT) ---------------------------------------------------------------

TEMP_TAG, OLD_TAG = ".tmp-", ".old-"


class FolderLock:
    """An exclusive lock on an output folder's name (a hidden lock file beside it, locked through gkxl.locks).

    The lock dies with the process (kill -9 included), so a stale lock never blocks the next run. The lock
    file is removed when the lock is released. `command` names, in the refusal, what holds the folder.
    """

    def __init__(self, out: Path, command: str = "gkxl collect"):
        self.out = out
        self.command = command
        self.path = out.parent / f".{out.name}.lock"
        self.fh = None

    def acquire(self) -> None:
        from .locks import try_lock

        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
            except OSError as exc:
                raise write_error(exc, self.out) from None
            fh = os.fdopen(fd, "r+b")
            if not try_lock(fh):
                fh.close()
                raise InputError(f"另一个 {self.command} 正在写入这个输出文件夹，请等它结束后再运行，或换一个输出文件夹", file=str(self.out)) from None
            try:  # the file may have been removed by the holder that just released it: lock the one that is there
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self.fh = fh
                return
            fh.close()

    def release(self) -> None:
        if self.fh is not None:
            import sys

            if sys.platform != "win32":  # removed while held, so a waiting run finds it gone and retries
                with contextlib.suppress(OSError):
                    os.unlink(self.path)
            self.fh.close()
            if sys.platform == "win32":  # an open file cannot be removed there
                with contextlib.suppress(OSError):
                    os.unlink(self.path)
            self.fh = None

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def leftovers(out: Path) -> list[Path]:
    """Folders an interrupted run left beside OUT: its temporary folder and a moved-aside old OUT."""
    prefixes = (f".{out.name}{TEMP_TAG}", f".{out.name}{OLD_TAG}")
    try:
        entries = list(out.parent.iterdir())
    except OSError:
        return []
    return sorted(p for p in entries if p.name.startswith(prefixes) and p.is_dir() and not p.is_symlink())


def recover(out: Path) -> list[str]:
    """Under the lock: put back an OUT that an interrupted replacement left moved aside, remove the other
    leftovers; what was done, in words."""
    import shutil

    said: list[str] = []
    for p in leftovers(out):
        if OLD_TAG in p.name and not os.path.lexists(out):
            os.replace(p, out)
            said.append(f"上次运行在替换输出文件夹时中断，已恢复原来的输出文件夹 {display_name(out)}")
        else:
            shutil.rmtree(p, ignore_errors=True)
            if p.exists():
                said.append(f"上次中断的运行留下的临时文件夹无法删除，请手动删除：{display_name(p)}")
            else:
                said.append(f"已删除上次中断的运行留下的临时文件夹 {display_name(p.name)}")
    return said


def make_temp_dir(out: Path) -> Path:
    """The folder a new OUT is built in, beside OUT (same file system, so the final rename is atomic)."""
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}{TEMP_TAG}", dir=out.parent))
        os.chmod(work, 0o777 & ~_umask())  # mkdtemp makes 0700; OUT should have the usual permissions
    except OSError as exc:
        raise write_error(exc, out) from None
    return work


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux") or os.environ.get("GKXL_NO_EXCHANGE"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, getattr(errno, "ENOTSUP", errno.EINVAL)):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _test_pause(point: str) -> None:
    """A place a test can hold a run (GKXL_TEST_PAUSE=point:marker-file): writes the marker, then waits to be killed."""
    spec = os.environ.get("GKXL_TEST_PAUSE", "")
    if spec.partition(":")[0] == point:
        import time

        Path(spec.partition(":")[2]).write_text(str(os.getpid()))
        time.sleep(3600)


def replace_dir(new: Path, out: Path) -> None:
    """Put a finished folder in place of OUT so that at every instant the old or the new OUT stands.

    Linux: one atomic exchange, then the old content (now at `new`) is removed. Elsewhere: OUT is moved aside
    to .OUT.old-… and the new one renamed in; if the run dies between the two, the next run restores it (recover).
    """
    import shutil

    _test_pause("replace")
    try:
        if os.path.lexists(out):
            if _exchange(new, out):
                shutil.rmtree(new, ignore_errors=True)
                return
            old = out.with_name(f".{out.name}{OLD_TAG}{os.getpid()}")
            os.replace(out, old)
            _test_pause("between")
            os.replace(new, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(new, out)
    except OSError as exc:
        raise write_error(exc, out) from None


# A batch of files written into a folder, all or nothing (template --roster) ----------------------------------------

BATCH_TAG = ".gkxl-batch-"
JOURNAL = ".journal"
REPLACED = ".replaced"


def recover_batch(folder: Path) -> list[str]:
    """Under the lock: undo what a killed batch left inside `folder` (its journal names every file it began to move
    in; each is put back as it was before), and remove the batch's folder; what was done, in words."""
    import shutil

    said: list[str] = []
    try:
        stages = sorted(p for p in folder.iterdir() if p.name.startswith(BATCH_TAG) and p.is_dir() and not p.is_symlink())
    except OSError:
        return said
    for stage in stages:
        undone = 0
        try:
            names = [n for n in (stage / JOURNAL).read_text(encoding="utf-8").split("\n") if n]
        except OSError:
            names = []
        for name in reversed(names):
            target, old = folder / name, stage / REPLACED / name
            try:
                if os.path.lexists(old):
                    os.replace(old, target)
                    undone += 1
                elif not os.path.lexists(stage / name) and os.path.lexists(target):  # moved in, nothing was there
                    os.unlink(target)
                    undone += 1
            except OSError:
                pass
        shutil.rmtree(stage, ignore_errors=True)
        if stage.exists():
            said.append(f"上次中断的运行留下的临时文件夹无法删除，请手动删除：{display_name(stage)}")
        elif undone:
            said.append(f"上次运行在写入 {display_name(folder)} 时中断，已把其中 {undone} 个文件恢复为中断前的样子，并删除其临时文件夹")
        else:
            said.append(f"已删除上次中断的运行留下的临时文件夹 {display_name(stage.name)}")
    return said


def write_batch(folder: Path, files, *, command: str, say, check=None, progress=None) -> None:
    """Write every file (name, a function making its bytes) into `folder`, or none of them. Under the folder's lock,
    first what an earlier killed run left is cleaned up and `say` is given each notice of it; then `check()` may
    refuse (e.g. files exist and no --force) before anything is written.

    A new folder is built beside it and renamed in at once. Into an existing folder, the files are made in a hidden
    folder inside it, then moved in one by one, each old file moved aside first, under a journal: a failure or
    Ctrl-C puts back what was there; a run killed hard is undone by the next run (recover_batch), which says so.
    Two runs at once on one folder: the second is refused (FolderLock).
    """
    import shutil

    files = list(files)
    make_dir(folder.parent if folder.parent != Path("") else Path("."))
    with FolderLock(folder.resolve(), command=command):
        for notice in recover(folder.resolve()) + (recover_batch(folder) if is_dir(folder) else []):
            say(notice)
        if check is not None:
            check()
        fresh = not exists(folder)
        try:
            stage = make_temp_dir(folder.resolve()) if fresh else Path(tempfile.mkdtemp(prefix=BATCH_TAG, dir=folder))
        except OSError as exc:
            raise write_error(exc, folder) from None
        moved: list[tuple[Path, Path | None]] = []  # (target, its old content moved aside) to undo
        mask = _umask()
        try:
            for i, (name, make) in enumerate(files, 1):
                try:
                    (stage / name).write_bytes(make())
                    os.chmod(stage / name, 0o666 & ~mask)
                except OSError as exc:
                    raise write_error(exc, folder / name) from None
                if progress is not None:
                    progress(i, len(files))
                _test_pause("batch")
            if fresh:  # one rename puts the whole batch in place
                try:
                    os.rename(stage, folder)
                except OSError as exc:
                    raise write_error(exc, folder) from None
                return
            backup = stage / REPLACED
            backup.mkdir()
            with open(stage / JOURNAL, "a", encoding="utf-8") as journal:
                for name, _ in files:
                    target = folder / name
                    journal.write(name + "\n")  # on disk before the move: a run killed in between is undone
                    journal.flush()
                    os.fsync(journal.fileno())
                    old = backup / name if os.path.lexists(target) else None
                    moved.append((target, old))  # recorded first: an interruption between the two renames is undone too
                    try:
                        if old is not None:
                            os.replace(target, old)
                        os.replace(stage / name, target)
                    except OSError as exc:
                        raise write_error(exc, target) from None
                    _test_pause("batch-move")
            moved.clear()
        except BaseException:
            for target, old in reversed(moved):  # put back what was there before this batch
                try:
                    if old is not None:
                        os.replace(old, target)
                    else:
                        os.unlink(target)
                except OSError:
                    pass
            raise
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def decode_csv(data: bytes, source: str, refusal: str) -> str:
    """A CSV's text: UTF-8 (with or without BOM), else GB18030 (Excel on Chinese Windows saves "CSV" in the ANSI code
    page, GBK); `refusal` is the one Chinese line for a file in neither (roster, 审核记录, 台账 each say what they are)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(refusal, file=source) from None


def csv_error(exc: Exception) -> str:
    """Why Python's csv module refused a line, in words a user can act on (its own message is English)."""
    import csv

    text = str(exc)
    if "field larger than field limit" in text:
        return f"某一格超过 {csv.field_size_limit()} 个字"
    if "NUL" in text or "null byte" in text:
        return "含有空字符（NUL），不是文本文件"
    if "newline" in text:
        return "引号内的换行无法识别"
    return "引号不成对，或引号后有多余的字符"
