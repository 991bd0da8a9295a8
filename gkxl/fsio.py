"""Writing outputs safely: atomically (temporary file, then rename), and never over an existing file without force."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
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


def write_error(exc: OSError, path: str | os.PathLike) -> InputError:
    """An output that cannot be written, as one Chinese line naming it (exit 2, not an internal error)."""
    reason = _REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__
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
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
