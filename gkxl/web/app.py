"""The Starlette application of `gkxl serve`: a unit's page (its link only), the office's page (its own key).

Security, in one place: every key is ≥128 random bits compared in constant time (round.py); every state change
(the upload) needs the page's CSRF token (bound to the link) and a same-origin request; uploads are size-limited
while they stream; no request path reaches the file system (assets come from an in-package dict, files from the
database's own names); Jinja2 autoescapes everything; every response carries CSP and the other security headers.
"""

from __future__ import annotations

import os
import zipfile
from importlib import resources
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from jinja2 import Environment, PackageLoader
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..errors import InputError
from ..findings import MIN_EXPLANATION, Severity
from ..formats.layout import EXPLAIN_SHEET
from ..figures.summary import SUMMARY_NAME
from ..outcomes import SUMMARY_DIR, Status
from ..outputs import decision_dict
from .round import ACCEPTED_SUFFIXES, Board, Checked, Round
from .storage import Unit

MAX_UPLOAD = 20 * 1024 * 1024  # a filled workbook is ~50 KB; the reader has its own limits on what it unpacks
POLL_SECONDS = 2
FORM_OVERHEAD = 64 * 1024  # a form upload's own bytes besides the file (boundaries, the CSRF field)
CSRF_REFUSED = "页面校验码缺失或不符（页面可能已过期），已拒绝。请刷新页面后重新上传。"

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cache-control": "no-store",
}

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
FIGURE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
STATUS_CLASS = {
    Status.PASSED: "passed", Status.VERIFY: "verify", Status.MANDATORY: "mandatory", Status.WRONG_TEMPLATE: "wrong",
    Status.UNREADABLE: "unreadable", Status.MISSING: "missing",
}
_ORDER = {Severity.MANDATORY: 0, Severity.VERIFY: 1, Severity.HINT: 2}
MAX_ID = 2**63 - 1  # SQLite's INTEGER range: an id past it is no id of ours


def number_of(text: str | None, limit: int = MAX_ID) -> int | None:
    """A number taken from the address or a header: ASCII digits within range, else None (the caller answers 404,
    or refuses). `str.isdigit()` is not enough: it accepts ² and ①, which `int()` refuses."""
    if not text or len(text) > 20 or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= limit else None


def id_param(request: Request, name: str = "upload") -> int:
    """An id from the request path (every route takes ids as text and comes here): 404 unless it is one."""
    value = number_of(request.path_params[name])
    if value is None:
        raise HTTPException(404)
    return value


def _assets() -> dict[str, tuple[bytes, str]]:
    """The static assets, read once from the package: a name → (bytes, type) dict, the only thing /static serves."""
    types = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
    folder = resources.files("gkxl.web") / "static"
    return {p.name: (p.read_bytes(), types[Path(p.name).suffix]) for p in folder.iterdir() if Path(p.name).suffix in types}


class SecurityHeaders:
    """Pure ASGI middleware: refuses requests for another host name (DNS rebinding) and adds the headers."""

    def __init__(self, app, allowed_hosts: tuple[str, ...] | None):
        self.app = app
        self.allowed = allowed_hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.allowed is not None:
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
            if name not in self.allowed:
                await Response("请求的主机名不符", status_code=400, media_type="text/plain; charset=utf-8", headers=SECURITY_HEADERS)(scope, receive, send)
                return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in SECURITY_HEADERS.items():
                    headers[k] = v
            await send(message)

        await self.app(scope, receive, send_with_headers)


NAME_LIMIT = 120  # characters of an uploaded file's name kept and shown (its suffix always among them)


def upload_name(raw: str) -> tuple[str, str]:
    """(the file name as kept and shown, its suffix): the browser's name, its last path part only, never used as a
    path. The suffix is read from the whole name (trailing dots and spaces, which Windows drops, ignored); only the
    name kept is shortened, in its middle, so that it still ends with the suffix."""
    whole = raw.replace("\\", "/").rsplit("/", 1)[-1]
    suffix = os.path.splitext(whole.rstrip(". "))[1].lower()
    return shorten(whole, NAME_LIMIT), suffix


def shorten(name: str, limit: int = NAME_LIMIT) -> str:
    """`name` cut to `limit` characters in its middle (…), its end (the suffix) kept."""
    if len(name) <= limit:
        return name
    tail = min(24, limit // 3)
    return name[: limit - tail - 1] + "…" + name[-tail:]


def kind_text(suffix: str) -> str:
    """What an upload's name says it is, for a refusal: its own suffix, or that it has none."""
    if not suffix:
        return "文件名没有扩展名，内容也不是 .xlsx 工作簿"
    return f"扩展名为“{shorten(suffix, 24)}”"


def upload_kind(suffix: str, path: Path) -> str | None:
    """The suffix an upload is kept and checked under: its name's, when it is one collect reads; else, when the
    content is an Excel workbook (a browser or a mail program that dropped or changed the name's suffix), .xlsx;
    else None (refused). The content of a name collect reads is judged by the check itself, as collect does."""
    if suffix in ACCEPTED_SUFFIXES:
        return suffix
    try:
        with open(path, "rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return None
        with zipfile.ZipFile(path) as zf:  # the central directory only: nothing is unpacked
            names = set(zf.namelist())
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError, EOFError):
        return None
    return ".xlsx" if "xl/workbook.xml" in names and "[Content_Types].xml" in names else None


def _origin_is_host(url: str, request: Request) -> bool:
    """True when an Origin or Referer names this server: http(s), and the host (with port) the request was sent to."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and parts.netloc.lower() == request.headers.get("host", "").lower()


def _attachment(data: bytes, filename: str, media: str) -> Response:
    ascii_name = "".join(c if c.isascii() and c.isalnum() or c in "._-" else "_" for c in filename)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media, headers={"content-disposition": disposition})


def sorted_findings(c: Checked) -> list:
    return sorted(c.result.findings, key=lambda f: (_ORDER[f.severity], f.explained, f.sheet, len(f.cell), f.cell))


def create_app(rnd: Round, *, max_upload: int = MAX_UPLOAD, allowed_hosts: tuple[str, ...] | None = None) -> Starlette:
    env = Environment(loader=PackageLoader("gkxl.web", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(
        Severity=Severity, Status=Status, EXPLAIN_SHEET=EXPLAIN_SHEET, MIN_EXPLANATION=MIN_EXPLANATION, year=rnd.year,
        sorted_findings=sorted_findings, fmt_time=lambda t: t.strftime("%Y-%m-%d %H:%M:%S") if t else "",
        poll_seconds=POLL_SECONDS, status_class=STATUS_CLASS, max_upload=max_upload, max_upload_mb=max_upload // (1024 * 1024) or 1,
    )
    assets = _assets()
    store = rnd.store
    from . import review_pages

    review_pages.install(env, rnd)  # the office's 审核: what the pages show of it

    def page(name: str, status: int = 200, **ctx) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx), status_code=status)

    def fragment(name: str, **ctx) -> str:
        return env.get_template(name).render(**ctx)

    def unit_of(request: Request) -> Unit:
        unit = rnd.unit_by_token(request.path_params["token"])
        if unit is None:
            raise HTTPException(404)
        return unit

    def office_of(request: Request) -> None:
        if not rnd.is_office(request.path_params["token"]):
            raise HTTPException(404)

    def refuse(status: int, message: str) -> JSONResponse:
        return JSONResponse({"ok": False, "message": message}, status_code=status)

    def same_origin(request: Request) -> bool:
        """A state change must come from a page of this server: Origin (when sent) is this host, or without Origin
        the Referer (when sent) is a page of this host; a browser's Sec-Fetch-Site (when sent) says same-origin.
        Our pages send no referrer, so a browser posting their form sends Origin: null — accepted only with
        Sec-Fetch-Site: same-origin."""
        site = request.headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return False
        origin = request.headers.get("origin")
        if origin is None:  # no Origin (an old browser, a plain client): a Referer, when sent, must be this server
            referer = request.headers.get("referer")
            return referer is None or _origin_is_host(referer, request)
        if origin == "null":  # a form posted from a page with referrer-policy no-referrer (ours): the browser's word
            return site == "same-origin"
        return _origin_is_host(origin, request)

    # Pages -------------------------------------------------------------------------------------------------

    async def home(request: Request) -> Response:
        return page("error.html", 404, title="请使用链接访问", message="请使用政务公开办发给本单位的报送链接打开。")

    async def static(request: Request) -> Response:
        item = assets.get(request.path_params["name"])
        if item is None:
            raise HTTPException(404)
        return Response(item[0], media_type=item[1], headers={"cache-control": "no-store"})

    def unit_context(unit: Unit, shown: int | None = None) -> dict:
        uploads = rnd.unit_uploads(unit)
        latest = next((c for c in uploads if c.upload.id == shown), uploads[0] if uploads else None)
        return {"unit": unit, "uploads": uploads, "latest": latest, "used": rnd.used_upload(unit), "register": rnd.register_upload(unit),
                "csrf": rnd.csrf_token(unit.token), "base": f"/u/{unit.token}", "deadline": rnd.deadline}

    async def unit_page(request: Request) -> Response:
        unit = unit_of(request)
        shown = None
        if "upload" in request.query_params:  # after a form upload: its verdict (only ever this unit's)
            shown = number_of(request.query_params["upload"])
            if shown is None:
                raise HTTPException(404)
        ctx = await run_in_threadpool(unit_context, unit, shown)
        return page("unit.html", **ctx)

    async def unit_template(request: Request) -> Response:
        unit = unit_of(request)
        from ..cli.template import default_name
        from ..excel.writer import build_workbook
        from ..formats import format_for_year
        from ..model import Report

        spec = format_for_year(rnd.year)
        data = await run_in_threadpool(build_workbook, Report(spec.id, rnd.year, unit.name), lock_agency=True, requirements=rnd.requirements)
        return _attachment(data, default_name(unit.name, rnd.year), XLSX)

    too_big = f"文件超过 {max_upload // (1024 * 1024) or 1} MB 的上限，已拒绝。填写好的工作簿通常不到 1 MB，请确认选择的文件。"

    def not_a_workbook(filename: str, suffix: str) -> str:
        return f"“{filename or '（无文件名）'}”不是填报文件（{kind_text(suffix)}）：请上传用本单位模板填写的 .xlsx 工作簿。"

    async def keep_and_check(unit: Unit, tmp: Path, filename: str, suffix: str) -> Checked:
        upload = await run_in_threadpool(store.accept, unit, tmp, filename=filename, suffix=suffix)
        # The upload is committed: from here on it is kept whatever happens. The check runs in a worker process
        # (checks.py): the event loop serves other requests while it waits.
        return await rnd.check_async(upload, unit.name)

    async def unit_upload(request: Request) -> Response:
        """An upload: the page's script sends the file as the body (X-CSRF-Token, X-File-Name) and gets JSON; a
        browser without script posts the page's form (multipart, the token in a hidden field) and is sent back to
        the unit's page showing the verdict."""
        unit = unit_of(request)
        if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
            return await unit_upload_form(request, unit)
        if not same_origin(request):
            return refuse(403, "请求不是从本单位的报送页面发出的，已拒绝。请打开报送链接后在页面上上传。")
        if not rnd.csrf_ok(unit.token, request.headers.get("x-csrf-token", "")):
            return refuse(403, CSRF_REFUSED)
        if await run_in_threadpool(review_pages.locked, rnd, unit):
            return refuse(409, review_pages.LOCKED)
        filename, suffix = upload_name(unquote(request.headers.get("x-file-name", ""), errors="replace"))
        declared = request.headers.get("content-length")
        if declared is not None and (number_of(declared) is None or int(declared) > max_upload):
            return refuse(413, too_big)
        fh, tmp = store.incoming_file()
        size = 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_upload:
                    fh.close()
                    tmp.unlink(missing_ok=True)
                    return refuse(413, too_big)
                fh.write(chunk)
        except ClientDisconnect:
            fh.close()
            tmp.unlink(missing_ok=True)
            return Response(status_code=400)
        fh.close()
        if size == 0:
            tmp.unlink(missing_ok=True)
            return refuse(400, "上传的文件是空的。")
        kind = await run_in_threadpool(upload_kind, suffix, tmp)
        if kind is None:
            tmp.unlink(missing_ok=True)
            return refuse(415, not_a_workbook(filename, suffix))
        checked = await keep_and_check(unit, tmp, filename, kind)
        ctx = await run_in_threadpool(unit_context, unit)
        return JSONResponse({
            "ok": True,
            "upload": checked.upload.id,
            "status": checked.status,
            "verdict": checked.verdict,
            "verdict_html": fragment("_verdict.html", c=checked, base=ctx["base"], register=ctx["register"]),
            "uploads_html": fragment("_uploads.html", **ctx),
        })

    async def unit_upload_form(request: Request, unit: Unit) -> Response:
        """The page's form without script: the same checks, refusals as a page, success as a redirect (303)."""
        from starlette.formparsers import MultiPartException, MultiPartParser
        from starlette.responses import RedirectResponse

        base = f"/u/{unit.token}"

        def refused(status: int, message: str) -> HTMLResponse:
            return page("error.html", status, title="未能上传", message=message, back=base)

        if not same_origin(request):
            return refused(403, "请求不是从本单位的报送页面发出的，已拒绝。请打开报送链接后在页面上上传。")
        limit = max_upload + FORM_OVERHEAD  # the file and the form's few small fields
        declared = request.headers.get("content-length")
        if declared is not None and (number_of(declared) is None or int(declared) > limit):
            return refused(413, too_big)

        class TooBig(Exception):
            pass

        async def limited():
            size = 0
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise TooBig
                yield chunk

        parser = MultiPartParser(request.headers, limited(), max_files=1, max_fields=4, max_part_size=FORM_OVERHEAD)
        try:
            form = await parser.parse()
        except TooBig:
            return refused(413, too_big)
        except MultiPartException:
            return refused(400, "上传的表单无法读取，请刷新页面后重新选择文件上传。")
        except ClientDisconnect:
            return Response(status_code=400)
        try:
            token = form.get("csrf")
            if not isinstance(token, str) or not rnd.csrf_ok(unit.token, token):
                return refused(403, CSRF_REFUSED)
            if await run_in_threadpool(review_pages.locked, rnd, unit):
                return refused(409, review_pages.LOCKED)
            file = form.get("file")
            if isinstance(file, str) or file is None or not file.filename:
                return refused(400, "请先选择要上传的工作簿，再点“上传并检查”。")
            filename, suffix = upload_name(file.filename)
            fh, tmp = store.incoming_file()
            size = 0
            with fh:
                while chunk := await file.read(1 << 20):
                    size += len(chunk)
                    fh.write(chunk)
            if size == 0 or size > max_upload:
                tmp.unlink(missing_ok=True)
                return refused(400 if size == 0 else 413, "上传的文件是空的。" if size == 0 else too_big)
        finally:
            await form.close()
        kind = await run_in_threadpool(upload_kind, suffix, tmp)
        if kind is None:
            tmp.unlink(missing_ok=True)
            return refused(415, not_a_workbook(filename, suffix))
        checked = await keep_and_check(unit, tmp, filename, kind)
        return RedirectResponse(f"{base}?upload={checked.upload.id}#verdict", status_code=303)

    async def unit_file(request: Request) -> Response:
        unit = unit_of(request)
        c = await run_in_threadpool(rnd.unit_upload, unit, id_param(request))
        if c is None:
            raise HTTPException(404)
        data = await run_in_threadpool(store.path_of(c.upload).read_bytes)  # files are read off the event loop
        return _attachment(data, c.upload.filename or f"上传{c.upload.id}{c.upload.suffix}", "application/octet-stream")

    async def report_of(c: Checked | None) -> Response:
        if c is None:
            raise HTTPException(404)
        if c.report is None:
            message = "这是依申请台账，不是年度报告工作簿，不能生成报告。" if c.ledger is not None else "这个文件无法读取，不能生成报告。"
            return page("error.html", 409, title="没有报告", message=message)
        from ..roster import safe_filename
        from ..word.text import title_of
        from ..word.writer import build_report

        data = await run_in_threadpool(build_report, c.report, draft=not c.passed)
        name = safe_filename(title_of(c.report)) + ("（草稿）" if not c.passed else "") + ".docx"
        return _attachment(data, name, DOCX)

    async def unit_report(request: Request) -> Response:
        unit = unit_of(request)
        return await report_of(await run_in_threadpool(rnd.unit_upload, unit, id_param(request)))

    async def unit_figure(request: Request) -> Response:
        """The unit's 一图读懂 (gkxl figure), offered once its upload has passed."""
        unit = unit_of(request)
        fmt = request.path_params["fmt"]
        c = await run_in_threadpool(rnd.unit_upload, unit, id_param(request))
        if c is None or fmt not in FIGURE_TYPES:
            raise HTTPException(404)
        if not c.passed or c.report is None:
            return page("error.html", 409, title="尚未通过", message="检查通过后才能生成一图读懂。")
        from ..figures.content import FIGURE_TITLE, report_content
        from ..figures.draw import render
        from ..figures.fonts import find_font
        from ..roster import safe_filename
        from ..word.text import title_of

        try:
            font = find_font()
        except InputError as exc:
            return page("error.html", 409, title="无法生成一图读懂", message=exc.message)
        data = await run_in_threadpool(render, report_content(c.report), font, fmt)
        return _attachment(data, f"{safe_filename(title_of(c.report))}{FIGURE_TITLE}.{fmt}", FIGURE_TYPES[fmt])

    # The office ------------------------------------------------------------------------------------------

    def office_context(token: str) -> dict:
        board = rnd.board()
        return {"board": board, "rnd": rnd, "base": f"/o/{token}", "deadline": rnd.deadline}

    async def office_page(request: Request) -> Response:
        office_of(request)
        ctx = await run_in_threadpool(office_context, request.path_params["token"])
        return page("office.html", **ctx)

    async def office_board(request: Request) -> Response:
        office_of(request)
        ctx = await run_in_threadpool(office_context, request.path_params["token"])
        return HTMLResponse(fragment("_board.html", **ctx))

    def status_doc() -> dict:
        board: Board = rnd.board()
        return {
            "version": board.version,
            "counts": board.counts(),
            "complete": not board.missing_text,
            "missing": board.missing_text or None,
            "on_time_rate": board.on_time[0] if board.on_time else None,
            "reviews": rnd.reviews.count(),  # decisions so far: the board changes with them too
            "unreviewed": board.result.unreviewed if board.result else [],
            "units": [
                {"unit": r.unit.name, "type": r.status.type, "status": r.status.status, "review": r.status.review or None,
                 "decisions": [decision_dict(d) for d in r.status.decisions], "late": rnd.late_label(r),
                 "last": r.last.received_local.isoformat(timespec="seconds") if r.last else None, "uploads": r.count,
                 # 零报告: the declarations of the file used, as summary.json gives them
                 "zero_report": sorted(r.status.used.report.declared) if r.status.used and r.status.used.report else []}
                for r in board.rows
            ],
        }

    async def office_status(request: Request) -> Response:
        office_of(request)
        return JSONResponse(await run_in_threadpool(status_doc))

    async def office_file(request: Request) -> Response:
        office_of(request)
        c = await run_in_threadpool(rnd.any_upload, id_param(request))
        if c is None:
            raise HTTPException(404)
        return _attachment(await run_in_threadpool(store.path_of(c.upload).read_bytes), c.outcome.name, "application/octet-stream")

    async def office_report(request: Request) -> Response:
        office_of(request)
        return await report_of(await run_in_threadpool(rnd.any_upload, id_param(request)))

    downloads = {
        "status.xlsx": (f"{SUMMARY_DIR}/状态.xlsx", f"{rnd.year}年度报送状态.xlsx", XLSX),
        "summary.xlsx": (f"{SUMMARY_DIR}/汇总数据.xlsx", f"{rnd.year}年度汇总数据.xlsx", XLSX),
        "summary.docx": (f"{SUMMARY_DIR}/汇总报告.docx", f"{rnd.year}年度汇总报告.docx", DOCX),
        "figure.png": (f"{SUMMARY_DIR}/{SUMMARY_NAME}.png", f"{rnd.year}年度汇总一图读懂.png", FIGURE_TYPES["png"]),
        "figure.svg": (f"{SUMMARY_DIR}/{SUMMARY_NAME}.svg", f"{rnd.year}年度汇总一图读懂.svg", FIGURE_TYPES["svg"]),
    }

    async def office_figure(request: Request) -> Response:
        """The 汇总's 一图读懂 shown on the office's page (collect's 汇总/一图读懂.png, inline)."""
        office_of(request)
        try:
            out = await run_in_threadpool(rnd.outputs)
        except InputError:
            raise HTTPException(404) from None
        target = out / SUMMARY_DIR / f"{SUMMARY_NAME}.png"
        if not target.is_file():
            raise HTTPException(404)
        return Response(target.read_bytes(), media_type=FIGURE_TYPES["png"])

    async def office_download(request: Request) -> Response:
        office_of(request)
        what = request.path_params["what"]
        try:
            if what == "inbox.zip":
                return _attachment(await run_in_threadpool(rnd.inbox_zip), f"{rnd.year}年度收件箱.zip", ZIP)
            if what == "reports.zip":
                return _attachment(await run_in_threadpool(rnd.reports_zip), f"{rnd.year}年度单位报告.zip", ZIP)
            if what == "roster.xlsx":
                return _attachment(await run_in_threadpool(rnd.roster_workbook), f"{rnd.year}年度单位名单.xlsx", XLSX)
            if what == "subtotals.zip":
                data = await run_in_threadpool(rnd.subtotals_zip)
                if data is None:
                    return page("error.html", 409, title="没有分类汇总", message="名单没有“类型”列，或还没有通过检查的单位，暂无分类汇总。")
                return _attachment(data, f"{rnd.year}年度分类汇总.zip", ZIP)
            if what not in downloads:
                raise HTTPException(404)
            rel, name, media = downloads[what]
            out = await run_in_threadpool(rnd.outputs)
        except InputError as exc:
            return page("error.html", 409, title="无法汇总", message=str(exc))
        target = out / rel
        if not target.is_file():
            return page("error.html", 409, title="尚无汇总", message="还没有通过检查的单位，暂无汇总数据和汇总报告。")
        return _attachment(await run_in_threadpool(target.read_bytes), name, media)

    async def not_found(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return page("error.html", 404, title="链接无效", message="链接无效或不完整。请核对政务公开办发来的链接。")
        if exc.status_code == 405:  # with the methods the address takes (RFC 9110: a 405 carries Allow)
            res = page("error.html", 405, title="不支持的操作", message="不支持这样访问该地址。")
            res.headers.update(exc.headers or {})
            return res
        return page("error.html", exc.status_code, title="请求有误", message="请求有误。")

    async def internal(request: Request, exc: Exception) -> Response:
        return page("error.html", 500, title="内部错误", message=f"gkxl 内部错误（{type(exc).__name__}）。已收到的文件均已保存；请将此信息反馈给维护人员。")

    routes = [
        Route("/", home),
        Route("/static/{name}", static),
        Route("/u/{token}", unit_page),
        Route("/u/{token}/template", unit_template),
        Route("/u/{token}/upload", unit_upload, methods=["POST"]),
        Route("/u/{token}/uploads/{upload}", unit_file),
        Route("/u/{token}/uploads/{upload}/report", unit_report),
        Route("/u/{token}/uploads/{upload}/figure.{fmt}", unit_figure),
        Route("/o/{token}", office_page),
        Route("/o/{token}/board", office_board),
        Route("/o/{token}/status.json", office_status),
        Route("/o/{token}/uploads/{upload}", office_file),
        Route("/o/{token}/uploads/{upload}/report", office_report),
        Route("/o/{token}/download/{what}", office_download),
        Route("/o/{token}/figure.png", office_figure),
    ]
    routes += review_pages.routes(rnd, page=page, same_origin=same_origin)
    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found, Exception: internal})
    return SecurityHeaders(app, allowed_hosts)
