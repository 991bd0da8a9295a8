"""Exclusive, non-blocking locks on a file that die with the process: the one lock helper of gkxl.

portalocker gives the same call on Linux and macOS (flock) and on Windows (LockFileEx), where most offices work;
a lock held by a process killed hard (kill -9, power cut) is released by the system, so a stale lock never
blocks the next run.
"""

from __future__ import annotations

from typing import IO

import portalocker


def try_lock(fh: IO) -> bool:
    """Lock an open file exclusively; False when another process holds it."""
    try:
        portalocker.lock(fh, portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING)
    except (portalocker.exceptions.LockException, OSError):
        return False
    return True


def unlock(fh: IO) -> None:
    try:
        portalocker.unlock(fh)
    except (portalocker.exceptions.LockException, OSError):
        pass
