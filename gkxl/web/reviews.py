"""The office's 审核 in the web app: its decisions kept in the round's database, checked by the core's rules.

No rule lives here: a decision is checked by `review.check` on the unit's review as `review.replay` rebuilds it
from the decisions kept so far, against the automatic status (`collect.status_of`) of the unit's file as
`gkxl collect` attributes it (`collect.decide` over the unit's exported uploads). Each decision is one row
written in one transaction (BEGIN IMMEDIATE … COMMIT, synchronous=FULL, WAL): a kill -9 at any moment leaves every
earlier decision and either none or all of this one. The check and the write happen under the same lock and
transaction, so two offices deciding at once cannot both pass a rule only one of them may.

    decisions(id, unit_id, sha256, verdict, opinion, reviewer, time)   time: ISO 8601 with the offset, as in the CSV
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..review import MAX_OPINION, Decision, ReviewError, UnitReview, apply, check, parse_time
from .storage import Store, Unit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    sha256 TEXT NOT NULL,
    verdict TEXT NOT NULL,
    opinion TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_by_unit ON decisions(unit_id, id);
"""

MAX_REVIEWER = 40


@dataclass(frozen=True)
class Kept:
    """A decision as kept: its row id and unit id besides the decision itself."""

    id: int
    unit_id: int
    decision: Decision


class ReviewLog:
    """The decisions of one round (in its Store's database)."""

    def __init__(self, store: Store):
        self.store = store
        with store._lock:
            store.db.executescript(_SCHEMA)

    def _rows(self, unit_id: int | None = None) -> list[Kept]:
        sql = "SELECT d.id, d.unit_id, u.name, d.sha256, d.verdict, d.opinion, d.reviewer, d.time FROM decisions d JOIN units u ON u.id = d.unit_id"
        with self.store._lock:
            if unit_id is None:
                rows = self.store.db.execute(sql + " ORDER BY d.id").fetchall()
            else:
                rows = self.store.db.execute(sql + " WHERE d.unit_id = ? ORDER BY d.id", (unit_id,)).fetchall()
        return [Kept(r[0], r[1], Decision(*r[2:])) for r in rows]

    def all(self) -> list[Kept]:
        """Every decision, oldest first."""
        return self._rows()

    def of(self, unit: Unit) -> list[Kept]:
        return self._rows(unit.id)

    def count(self) -> int:
        with self.store._lock:
            return self.store.db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]

    def review(self, unit: Unit) -> UnitReview:
        """The unit's review after its decisions (replayed as collect replays them)."""
        r = UnitReview(unit.name)
        for k in self.of(unit):
            apply(k.decision, r)
        return r

    def decide(self, unit: Unit, sha256: str, verdict: str, opinion: str, reviewer: str, file_status: str | None) -> Decision:
        """Check and keep one decision, atomically; ReviewError (one Chinese sentence) when refused.

        file_status: the automatic status of the unit's file with this hash, None when the unit has no such file.
        """
        opinion, reviewer = opinion.strip(), " ".join(reviewer.split())
        if len(opinion) > MAX_OPINION:
            raise ReviewError(f"意见超过{MAX_OPINION}个字")
        if len(reviewer) > MAX_REVIEWER:
            raise ReviewError(f"审核人姓名超过{MAX_REVIEWER}个字")
        if any(ord(c) < 32 and c not in "\n\t" or ord(c) == 127 for c in opinion + reviewer):
            raise ReviewError("意见或审核人姓名中有控制字符")
        store = self.store
        with store._lock, store._tx() as db:
            rows = db.execute(
                "SELECT sha256, verdict, opinion, reviewer, time FROM decisions WHERE unit_id = ? ORDER BY id", (unit.id,)
            ).fetchall()
            r = UnitReview(unit.name)
            for row in rows:
                apply(Decision(unit.name, *row), r)
            last = db.execute("SELECT time FROM decisions ORDER BY id DESC LIMIT 1").fetchone()
            now = dt.datetime.now().astimezone()  # to the microsecond: a decision sorts after the upload it followed
            if last is not None and parse_time(last[0]) > now:  # the clock went back: the record stays in order
                now = parse_time(last[0])
            decision = Decision(unit.name, sha256, verdict, opinion, reviewer, now.isoformat(timespec="microseconds"))
            check(decision, r, file_status)
            db.execute(
                "INSERT INTO decisions(unit_id, sha256, verdict, opinion, reviewer, time) VALUES (?, ?, ?, ?, ?, ?)",
                (unit.id, sha256, verdict, opinion, reviewer, decision.time),
            )
            from ..fsio import _test_pause

            _test_pause("decision")  # a test kills the server here: the row written, not committed
        return decision
