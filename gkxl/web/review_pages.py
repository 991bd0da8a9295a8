"""The office's 审核 on the web pages: the action (通过/退回/重新开放), what each page shows of it, the 催报 list.

No rule lives here: a decision is checked by review.check (gkxl/web/reviews.py keeps it), the file decided is the
unit's file as `gkxl collect` attributes it (collect.decide over the unit's exported uploads), the board's 审核
column is collect.apply_reviews over the same decisions (round.py).

The action is a plain form (works without JavaScript: the page posts it and is sent back to the office page);
with JavaScript the page sends it in the background and redraws the board. It needs the office's key in the path,
the page's CSRF token (bound to the office key) and a same-origin request, as an upload does; the 审核人 name is a
field of the form (the page's script asks for it once per browser and fills it in).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..collect import decide, status_of
from ..outcomes import Status
from ..review import ACCEPT, ACCEPTED, PENDING, REOPEN, RETURN, RETURNED, VERDICTS, Decision, ReviewError, parse_time
from .round import Round, _exported
from .storage import Unit

LOCKED = "本单位的报告已由政务公开办审核通过并锁定，不能再上传；如需修改，请联系政务公开办重新开放。"
MAX_FORM = 64 * 1024
REVIEW_CLASS = {ACCEPTED: "accepted", RETURNED: "returned", PENDING: "pending"}
_SHA = re.compile(r"[0-9a-f]{64}")


@dataclass
class Event:
    """One line of a unit's history: an upload with its verdict, or a decision of the office."""

    when: dt.datetime
    kind: str  # "上传" or a verdict (通过/退回/重新开放)
    text: str  # the file and its verdict, or the 意见
    reviewer: str = ""
    file: str = ""


@dataclass
class UnitView:
    """What the unit's page (and the office's row) shows of the review."""

    state: str  # 待审核/已退回/已通过, "" before any upload
    accepted: Decision | None = None
    returned: Decision | None = None  # shown while the unit's file in use is the one returned
    history: list[Event] = field(default_factory=list)

    @property
    def locked(self) -> bool:
        return self.accepted is not None


def unit_files(rnd: Round, unit: Unit) -> list:
    """The unit's uploads that are its files in the exported inbox, as collect attributes them (Checked, newest first)."""
    names = [u.name for u in rnd.all_units()]
    mine = [c for c in rnd.unit_uploads(unit) if _exported(c, set(names))]
    statuses, _ = decide(names, [c.outcome for c in mine], types=rnd.types())
    st = next((s for s in statuses if s.unit == unit.name), None)
    theirs = {id(o) for o in ((st.used, *st.others) if st and st.used else ())}
    return [c for c in mine if id(c.outcome) in theirs]


def file_status(rnd: Round, unit: Unit, sha256: str) -> str | None:
    """The automatic status of the unit's file with this hash (None: the unit has no such file)."""
    return next((status_of(c.outcome) for c in unit_files(rnd, unit) if c.upload.sha256 == sha256), None)


def unit_view(rnd: Round, unit: Unit) -> UnitView:
    """The unit's page: its review (replayed from its decisions) against the upload its status comes from."""
    review = rnd.reviews.review(unit)
    used_id = rnd.used_upload(unit)
    uploads = rnd.unit_uploads(unit)  # newest first
    used = next((c for c in uploads if c.upload.id == used_id), None)
    state = review.state(used.upload.sha256 if used else None)
    return UnitView(state, review.accepted_by, review.returned_by if state == RETURNED else None, _history(uploads, review.decisions))


def row_view(rnd: Round, row) -> UnitView:
    """An office board row's history: its uploads and the decisions the board already replayed (no query per rule)."""
    return UnitView(row.status.review, history=_history(rnd.unit_uploads(row.unit), row.status.decisions))


def _history(uploads, decisions) -> list[Event]:
    """Uploads (newest first, as Round gives them) with their verdicts and the decisions, oldest first."""
    names = {c.upload.sha256: c.upload.filename for c in reversed(uploads)}
    history = [Event(c.upload.received_local.astimezone(), "上传", f"{c.upload.filename}：{c.verdict}") for c in uploads]
    for d in decisions:
        history.append(Event(parse_time(d.time), d.verdict, d.opinion, d.reviewer, names.get(d.sha256, "")))
    history.sort(key=lambda e: e.when)  # decisions are timed to the microsecond: each sorts after the upload it followed
    return history


def chase_list(board) -> dict[str, list[str]]:
    """The 催报 list: units not submitted, returned (to send again), not yet accepted (to be reviewed or fixed)."""
    out = {"未报送": [], "已退回、待重报": [], "尚未审核通过": []}
    for r in board.rows:
        if r.status.status == Status.MISSING:
            out["未报送"].append(r.unit.name)
        elif r.status.review == RETURNED:
            out["已退回、待重报"].append(r.unit.name)
        elif r.status.review != ACCEPTED:
            out["尚未审核通过"].append(r.unit.name)
    return out


def chase_text(board, year: int) -> str:
    lines = [f"{year}年度政府信息公开工作年度报告报送情况（{dt.date.today():%Y-%m-%d}）："]
    for what, units in chase_list(board).items():
        if units:
            lines.append(f"{what}（{len(units)}个）：{'、'.join(units)}")
    if len(lines) == 1:
        lines.append("各单位均已报送并审核通过。")
    return "\n".join(lines)


def install(env, rnd: Round) -> None:
    """What the templates call: a unit's review view, the office's CSRF token, the 催报 text, the classes."""
    env.globals.update(
        unit_review=lambda unit: unit_view(rnd, unit),
        row_review=lambda row: row_view(rnd, row),
        office_csrf=lambda: rnd.csrf_token(rnd.office_token),
        chase_text=lambda board: chase_text(board, rnd.year),
        chase_list=chase_list,
        review_class=REVIEW_CLASS,
        fmt_when=lambda t: t.strftime("%Y-%m-%d %H:%M:%S") if t else "",
        ACCEPT=ACCEPT, RETURN=RETURN, REOPEN=REOPEN, ACCEPTED=ACCEPTED, RETURNED=RETURNED,
    )


def routes(rnd: Round, *, page, same_origin) -> list[Route]:
    """POST /o/{token}/review: one decision of the office."""

    async def office_review(request: Request) -> Response:
        if not rnd.is_office(request.path_params["token"]):
            return page("error.html", 404, title="链接无效", message="链接无效或不完整。请核对政务公开办发来的链接。")
        base = f"/o/{request.path_params['token']}"
        wants_json = request.headers.get("x-requested-with") == "gkxl"

        def refused(status: int, message: str) -> Response:
            if wants_json:
                return JSONResponse({"ok": False, "message": message}, status_code=status)
            return page("error.html", status, title="未能完成审核操作", message=message, back=base)

        if not same_origin(request):
            return refused(403, "请求不是从政务公开办页面发出的，已拒绝。请打开政务公开办页面后操作。")
        declared = request.headers.get("content-length")
        if declared is None or not declared.isdigit() or int(declared) > MAX_FORM:
            return refused(413, "请求过大或不完整，已拒绝。")
        if not request.headers.get("content-type", "").lower().startswith("application/x-www-form-urlencoded"):
            return refused(415, "请在政务公开办页面上操作。")
        form = await request.form(max_files=0, max_fields=10)
        try:
            def field(name: str) -> str:
                value = form.get(name, "")
                return value if isinstance(value, str) else ""

            if not rnd.csrf_ok(rnd.office_token, field("csrf")):
                return refused(403, "页面校验码缺失或不符（页面可能已过期），已拒绝。请刷新页面后重新操作。")
            unit = next((u for u in rnd.all_units() if str(u.id) == field("unit")), None)
            sha = field("sha256").lower()
            verdict = field("verdict")
            if unit is None or not _SHA.fullmatch(sha):
                return refused(400, "没有这个单位或文件，请刷新页面后重新操作。")
            if verdict not in VERDICTS:
                return refused(400, "请选择通过、退回或重新开放。")
            status = await run_in_threadpool(file_status, rnd, unit, sha)
            try:
                decision = await run_in_threadpool(rnd.reviews.decide, unit, sha, verdict, field("opinion"), field("reviewer"), status)
            except ReviewError as exc:
                return refused(409, exc.message)
        finally:
            await form.close()
        if wants_json:
            return JSONResponse({"ok": True, "unit": unit.name, "verdict": decision.verdict, "time": decision.time,
                                 "message": f"已{decision.verdict}：{unit.name}"})
        return RedirectResponse(f"{base}#unit-{unit.id}", status_code=303)

    return [Route("/o/{token}/review", office_review, methods=["POST"])]


def locked(rnd: Round, unit: Unit) -> bool:
    """An accepted unit may not upload until the office reopens it."""
    return rnd.reviews.review(unit).locked

