"""The round's whole state in one data folder: an SQLite database (WAL mode) and the uploaded files by content.

    <data>/round.sqlite          the round (year, deadline, keys), the units with their link tokens, every upload
    <data>/files/ab/<sha256>.xlsx each uploaded file, named by its SHA-256 (and its type), never overwritten

An upload is accepted only once its file is on disk (written, fsync'ed, renamed, folder fsync'ed) and its row is
committed (synchronous=FULL): a crash or kill -9 at any moment leaves either no trace or the whole upload. A file
written but whose row was never committed is an orphan that no page shows (the next identical upload reuses it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import sqlite3
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..outcomes import NO_TYPE

DB_NAME = "round.sqlite"
FILES_DIR = "files"
TMP_DIR = ".incoming"
LOCK_NAME = ".lock"
SCHEMA_VERSION = "2"  # 2: units.type (the roster's 类型); a version 1 folder is upgraded in place
UPGRADABLE = ("1",)
TOKEN_BYTES = 24  # 192 random bits per key (secrets.token_urlsafe)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    token TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    type TEXT NOT NULL DEFAULT '未分类'
);
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    received REAL NOT NULL,
    filename TEXT NOT NULL,
    suffix TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS uploads_by_unit ON uploads(unit_id, id);
"""


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    token: str
    type: str = NO_TYPE  # the roster's 类型 (roster.UNIT_TYPES), or 未分类


@dataclass(frozen=True)
class Upload:
    id: int
    unit_id: int
    received: float  # seconds since the epoch
    filename: str  # as the unit's browser named it (shown, escaped; never used as a path)
    suffix: str
    sha256: str
    size: int

    @property
    def received_local(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.received)


def _entry(item) -> tuple[str, str]:
    """(name, 类型) of a roster item: a name, a (name, type) pair or a roster.RosterEntry."""
    if isinstance(item, str):
        return item, NO_TYPE
    if isinstance(item, tuple):
        return item[0], item[1] or NO_TYPE
    return item.name, item.type or NO_TYPE


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (POSIX; Windows cannot open a folder and commits renames itself)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
KEY_FILES = (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal", LOCK_NAME)


def make_private(data: Path) -> None:
    """The data folder (and its folders) for this account alone (0700), and every file holding keys (the database
    with its journals: the links' keys, the office's key, the CSRF secret) 0600 — whatever umask they were made
    under, on every start. POSIX only: on Windows the NTFS permissions of the folder decide (README)."""
    if os.name == "nt":
        return
    for folder in (data, data / FILES_DIR, data / TMP_DIR):
        if folder.is_dir():
            os.chmod(folder, PRIVATE_DIR)
    for name in KEY_FILES:
        path = data / name
        if path.is_file() and not path.is_symlink():
            os.chmod(path, PRIVATE_FILE)


@dataclass
class _Pending:
    """An upload's row waiting for its commit (Store._commit_row)."""

    row: tuple
    id: int = 0
    done: bool = False
    error: BaseException | None = None


class ClosedError(RuntimeError):
    """The store was closed (the server is stopping)."""


class Store:
    """The data folder of one round. Thread-safe: one connection, serialised by a lock."""

    def __init__(self, data: Path):
        self.data = Path(os.path.abspath(data))  # absolute: the round's collect runs in another working folder
        self.files = self.data / FILES_DIR
        self.incoming = self.data / TMP_DIR
        self._lock = threading.Lock()
        self._queue_lock = threading.Lock()  # guards _queue only; taken inside _lock, never the other way round
        self._queue: list[_Pending] = []
        self._db: sqlite3.Connection | None = None
        self._lock_file = None

    # Opening ---------------------------------------------------------------------------------------------

    @classmethod
    def open(cls, data: Path, *, roster: Sequence[str | tuple[str, str]], year: int, deadline: dt.date | None) -> Store:
        """Start a round in `data`, or resume the one there. A folder holding anything else is refused.

        roster: the unit names, or (name, 类型) pairs (roster.RosterEntry works too); a resumed round takes the
        roster's types as they are now."""
        data = Path(data)
        if data.exists() and not data.is_dir():
            raise InputError("数据文件夹的位置上已有同名文件", file=str(data))
        if data.is_dir() and any(p.name != LOCK_NAME for p in data.iterdir()) and not (data / DB_NAME).is_file():
            raise InputError(f"这个文件夹不是 gkxl serve 的数据文件夹（没有 {DB_NAME}），请指定一个新的或空的文件夹", file=str(data))
        try:
            data.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
            (data / FILES_DIR).mkdir(exist_ok=True, mode=PRIVATE_DIR)
            (data / TMP_DIR).mkdir(exist_ok=True, mode=PRIVATE_DIR)
            make_private(data)  # also a folder of an earlier run, made under another umask or by an older gkxl
        except OSError as exc:
            raise InputError(f"无法创建数据文件夹（{exc.strerror or type(exc).__name__}）", file=str(data)) from None
        store = cls(data)
        store._lock_folder()
        store._connect()
        make_private(data)  # the journal files SQLite made on connecting
        store._start(roster, year, deadline)
        store._clear_incoming()
        return store

    def _lock_folder(self) -> None:
        """One server per data folder: a second `gkxl serve` on the same folder is refused while the first runs."""
        from ..locks import try_lock

        try:  # held open while the server runs: that is the lock
            fh = os.fdopen(os.open(self.data / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_APPEND, PRIVATE_FILE), "a+b")
        except OSError as exc:
            raise InputError(f"数据文件夹无法写入（{exc.strerror or type(exc).__name__}）", file=str(self.data)) from None
        if not try_lock(fh):
            fh.close()
            raise InputError("这个数据文件夹正由另一个 gkxl serve 使用；请先停止它，或指定另一个 --data 文件夹", file=str(self.data)) from None
        self._lock_file = fh

    def _connect(self) -> None:
        try:
            # Created private before SQLite opens it: SQLite gives its -wal and -shm files the database's permissions.
            os.close(os.open(self.data / DB_NAME, os.O_RDWR | os.O_CREAT, PRIVATE_FILE))
            make_private(self.data)
            db = sqlite3.connect(self.data / DB_NAME, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            db.executescript(_SCHEMA)
            if "type" not in {row[1] for row in db.execute("PRAGMA table_info(units)")}:  # a version 1 folder
                db.execute(f"ALTER TABLE units ADD COLUMN type TEXT NOT NULL DEFAULT '{NO_TYPE}'")
        except sqlite3.DatabaseError as exc:
            raise InputError(f"数据库无法打开（{exc}）", file=str(self.data / DB_NAME)) from None
        except OSError as exc:
            raise InputError(f"数据库无法打开（{exc.strerror or type(exc).__name__}）", file=str(self.data / DB_NAME)) from None
        self._db = db

    def _start(self, roster: Sequence, year: int, deadline: dt.date | None) -> None:
        entries = [_entry(r) for r in roster]
        with self._lock, self._tx() as db:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta:
                if meta.get("schema") in UPGRADABLE:  # its column was added on connecting; its rounds read as before
                    db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION,))
                elif meta.get("schema") != SCHEMA_VERSION:
                    raise InputError("数据文件夹由其他版本的 gkxl 生成，无法继续使用", file=str(self.data))
                if int(meta["year"]) != year:
                    raise InputError(f"数据文件夹中是{meta['year']}年度的报送，与 --year {year} 不符；请换一个数据文件夹", file=str(self.data))
            else:
                for key, value in {
                    "schema": SCHEMA_VERSION, "year": str(year), "office_token": new_token(),
                    "secret": secrets.token_hex(32), "round_id": secrets.token_hex(8),
                    "created": dt.datetime.now().isoformat(timespec="seconds"),
                }.items():
                    db.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (key, value))
            if deadline is not None:
                db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('deadline', ?)", (deadline.isoformat(),))
            known = {name for (name,) in db.execute("SELECT name FROM units")}
            db.execute("UPDATE units SET active = 0")
            for position, (name, kind) in enumerate(entries):
                if name in known:
                    db.execute("UPDATE units SET active = 1, position = ?, type = ? WHERE name = ?", (position, kind, name))
                else:
                    db.execute("INSERT INTO units(name, token, position, type) VALUES (?, ?, ?, ?)", (name, new_token(), position, kind))

    def _tx(self):
        """A transaction (BEGIN IMMEDIATE … COMMIT), rolled back on error."""
        db = self.db

        class _T:
            def __enter__(self_inner):
                db.execute("BEGIN IMMEDIATE")
                return db

            def __exit__(self_inner, kind, exc, tb):
                db.execute("COMMIT" if kind is None else "ROLLBACK")
                return False

        return _T()

    def _clear_incoming(self) -> None:
        """Partial uploads of an earlier run (never accepted) are removed."""
        for p in self.incoming.iterdir():
            if p.is_file():
                p.unlink(missing_ok=True)

    def close(self) -> None:
        """Close the database; under the lock, so no query of another thread is cut off (later ones are refused)."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
            if self._lock_file is not None:
                self._lock_file.close()
                self._lock_file = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise ClosedError("数据库已关闭")
        return self._db

    # Reading ---------------------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        with self._lock:
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @property
    def year(self) -> int:
        return int(self.meta("year"))

    @property
    def deadline(self) -> dt.date | None:
        text = self.meta("deadline")
        return dt.date.fromisoformat(text) if text else None

    def units(self) -> list[Unit]:
        """The units of the current roster, in roster order."""
        with self._lock:
            rows = self.db.execute("SELECT id, name, token, type FROM units WHERE active = 1 ORDER BY position").fetchall()
        return [Unit(*r) for r in rows]

    def unit_name(self, unit_id: int) -> str:
        """The name of a unit, on the current roster or not."""
        with self._lock:
            return self.db.execute("SELECT name FROM units WHERE id = ?", (unit_id,)).fetchone()[0]

    def uploads(self, unit_id: int | None = None) -> list[Upload]:
        """Every accepted upload (of one unit), oldest first."""
        with self._lock:
            if unit_id is None:
                rows = self.db.execute("SELECT id, unit_id, received, filename, suffix, sha256, size FROM uploads ORDER BY id").fetchall()
            else:
                rows = self.db.execute(
                    "SELECT id, unit_id, received, filename, suffix, sha256, size FROM uploads WHERE unit_id = ? ORDER BY id", (unit_id,)
                ).fetchall()
        return [Upload(*r) for r in rows]

    def last_id(self) -> int:
        """The id of the newest upload (0 when none): one cheap query, to tell whether uploads arrived."""
        with self._lock:
            return self.db.execute("SELECT MAX(id) FROM uploads").fetchone()[0] or 0

    def upload(self, upload_id: int) -> Upload | None:
        with self._lock:
            row = self.db.execute(
                "SELECT id, unit_id, received, filename, suffix, sha256, size FROM uploads WHERE id = ?", (upload_id,)
            ).fetchone()
        return Upload(*row) if row else None

    def path_of(self, upload: Upload) -> Path:
        return self.files / upload.sha256[:2] / f"{upload.sha256}{upload.suffix}"

    # Writing ---------------------------------------------------------------------------------------------

    def incoming_file(self):
        """A new temporary file for an upload being received: (binary file object, its path)."""
        fd, name = tempfile.mkstemp(prefix="up-", suffix=".part", dir=self.incoming)
        return os.fdopen(fd, "wb"), Path(name)

    def accept(self, unit: Unit, tmp: Path, *, filename: str, suffix: str, received: float | None = None) -> Upload:
        """Make a fully received temporary file an accepted upload: durable file first, then the committed row.

        Returns only after the commit; the caller answers the unit only then.
        """
        h = hashlib.sha256()
        size = 0
        with open(tmp, "rb+") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
                size += len(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        digest = h.hexdigest()
        folder = self.files / digest[:2]
        if not folder.is_dir():
            folder.mkdir(exist_ok=True)
            _fsync_dir(self.files)
        target = folder / f"{digest}{suffix}"
        if target.exists():
            tmp.unlink()  # the same content is already kept: never overwrite
        else:
            os.replace(tmp, target)
            _fsync_dir(folder)
        when = dt.datetime.now().timestamp() if received is None else received
        upload_id = self._commit_row((unit.id, when, filename, suffix, digest, size))
        return Upload(upload_id, unit.id, when, filename, suffix, digest, size)

    def _commit_row(self, row: tuple) -> int:
        """Insert one upload's row and return its id once it is committed — in one transaction with the rows of
        every other upload waiting meanwhile (group commit: a burst of uploads costs one disk sync per batch, not
        one each; each caller still returns only after its own row is durable)."""
        mine = _Pending(row)
        with self._queue_lock:
            self._queue.append(mine)
        with self._lock:
            if not mine.done:  # no other caller committed it while this one waited for the lock
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                try:
                    with self._tx() as db:
                        for p in batch:
                            p.id = db.execute(
                                "INSERT INTO uploads(unit_id, received, filename, suffix, sha256, size) VALUES (?, ?, ?, ?, ?, ?)", p.row
                            ).lastrowid
                except BaseException as exc:
                    for p in batch:
                        p.error = exc
                    raise
                finally:
                    for p in batch:
                        p.done = True
        if mine.error is not None:
            raise mine.error
        return mine.id
