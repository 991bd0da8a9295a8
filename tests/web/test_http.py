"""gkxl serve at the HTTP level (Starlette's test client): every page, every download, every refusal."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from web_helpers import ROSTER, YEAR, Web, unbalanced, workbook
from workbook_helpers import deflated_zeros, raw_zip

from gkxl.intake import load
from gkxl.web.app import SECURITY_HEADERS
from gkxl.word.writer import DRAFT_MARK


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))


def draft_headers(data: bytes) -> list[str]:
    """The page headers marked 草稿 (a draft has them on odd and even pages; a report has none)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [n for n in z.namelist() if re.match(r"word/(header|gkxl_draft)\d*\.xml", n) and DRAFT_MARK in z.read(n).decode("utf-8")]


def test_unit_page_shows_its_unit_and_year_and_nothing_of_another(web):
    page = web.client.get(web.link("甲局"))
    assert page.status_code == 200
    assert "甲局" in page.text and f"{YEAR}年度" in page.text
    assert "乙局" not in page.text and web.units["乙局"].token not in page.text and web.round.office_token not in page.text
    assert "尚未上传" in page.text


def test_template_is_the_units_locked_workbook(web, tmp_path):
    res = web.client.get(f"{web.link('乙局')}/template")
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in res.headers["content-disposition"]
    path = tmp_path / "模板.xlsx"
    path.write_bytes(res.content)
    loaded = load(path)
    assert loaded.report.agency == "乙局" and loaded.report.year == YEAR and loaded.locked_agency


def test_failing_upload_gives_every_finding_in_the_words_of_check_then_the_fix_passes(web, demo_report):
    res = web.upload("甲局", unbalanced(demo_report, "甲局"), "甲局年报.xlsx")
    assert res.status_code == 200, res.text
    doc = res.json()
    assert doc["ok"] and doc["status"] == "有强制错误" and doc["verdict"] == "2个强制错误"
    html = doc["verdict_html"]
    # sheet!cell, the labels, the message, and the rule key, as gkxl check prints them
    assert "表三!E30" in html and "表三!J30" in html
    assert "四、结转下年度继续办理 / 法人或其他组织 商业企业" in html
    assert "两者应相等（相差 -2）" in html and "R-BALANCE.business" in html
    # a 核实 finding says how to settle it with a 说明
    assert "R-TEXT-NUMBER.overview.requests" in html and "“说明”表中填写编号 R-TEXT-NUMBER.overview.requests" in html
    assert "下载报告草稿" in html
    assert web.status()["甲局"] == "有强制错误"
    first = doc["upload"]
    draft = web.client.get(f"{web.link('甲局')}/uploads/{first}/report")
    assert draft.status_code == 200 and len(draft_headers(draft.content)) == 2
    assert "%E8%8D%89%E7%A8%BF" in draft.headers["content-disposition"]  # 草稿 in the file name

    fixed = web.upload("甲局", workbook(demo_report, "甲局"), "甲局年报-改正.xlsx").json()
    assert fixed["status"] == "通过" and fixed["verdict"] == "通过"
    assert "下载本单位的年度报告" in fixed["verdict_html"]
    report = web.client.get(f"{web.link('甲局')}/uploads/{fixed['upload']}/report")
    assert report.status_code == 200 and draft_headers(report.content) == []
    assert "甲局" in docx_text(report.content)
    assert web.status()["甲局"] == "通过"
    # both uploads are listed, newest first, the newest marked as the one that counts
    page = web.client.get(web.link("甲局")).text
    assert page.index("甲局年报-改正.xlsx") < page.index("甲局年报.xlsx") and "（以此为准）" in page
    original = web.client.get(f"{web.link('甲局')}/uploads/{first}")
    assert original.content == unbalanced(demo_report, "甲局")


def test_a_verify_item_with_a_shuoming_passes(web, demo_report):
    # the 正文 says 5 applications while the table says 7: 核实 items, settled by 说明 of at least six characters
    data = workbook(demo_report, "乙局", explanations={"R-TEXT-NUMBER.overview.requests": "正文按收到时点统计，表格按登记统计"},
                    balanced=True, **{"sec3.new_received.business": 3})
    doc = web.upload("乙局", data).json()
    assert doc["status"] == "通过", doc["verdict_html"]
    assert "已说明" in doc["verdict_html"] and "正文按收到时点统计" in doc["verdict_html"]
    no_note = workbook(demo_report, "乙局", balanced=True, **{"sec3.new_received.business": 3})
    doc = web.upload("乙局", no_note).json()
    assert doc["status"] == "待核实" and "个待核实" in doc["verdict"]


def test_a_unit_cannot_reach_another_units_upload_or_report(web, demo_report):
    other = web.upload("乙局", workbook(demo_report, "乙局")).json()["upload"]
    mine = web.upload("甲局", workbook(demo_report, "甲局")).json()["upload"]
    for path in (f"/uploads/{other}", f"/uploads/{other}/report", "/uploads/999", "/uploads/999/report"):
        res = web.client.get(web.link("甲局") + path)
        assert res.status_code == 404 and "乙局" not in res.text, path
    assert web.client.get(f"{web.link('甲局')}/uploads/{mine}").status_code == 200
    # the office reaches both
    assert web.client.get(f"{web.office}/uploads/{other}").status_code == 200
    assert web.client.get(f"{web.office}/uploads/{mine}/report").status_code == 200


def test_wrong_tokens_are_refused_and_not_echoed(web):
    unit, office = web.units["甲局"].token, web.round.office_token
    changed = unit[:-1] + ("y" if unit[-1] == "x" else "x")  # one character off
    for path in ("/u/" + changed, "/u/" + unit + "x", f"/o/{unit}", f"/u/{office}", "/o/" + office[:-2], "/", "/u/", "/o/x/status.json",
                 f"/o/{unit}/download/status.xlsx", f"/o/{unit}/board", f"/u/{office}/template"):
        res = web.client.get(path)
        assert res.status_code == 404, path
        assert unit not in res.text and office not in res.text and "链接" in res.text
    res = web.client.post(f"/u/{office}/upload", content=b"x", headers={"x-file-name": "a.xlsx"})
    assert res.status_code == 404 and web.store.uploads() == []


def test_missing_wrong_or_other_units_csrf_token_and_foreign_origin_are_refused(web, demo_report):
    data = workbook(demo_report, "甲局")
    missing = web.upload("甲局", data, csrf=None)
    assert missing.status_code == 403 and "校验码" in missing.json()["message"]
    assert web.upload("甲局", data, csrf="0" * 64).status_code == 403
    assert web.upload("甲局", data, csrf=web.csrf("乙局")).status_code == 403  # bound to the link: 乙局's page cannot post as 甲局
    foreign = web.upload("甲局", data, headers={"origin": "http://evil.example"})
    assert foreign.status_code == 403 and "报送页面" in foreign.json()["message"]
    cross = web.upload("甲局", data, headers={"sec-fetch-site": "cross-site"})
    assert cross.status_code == 403
    assert web.store.uploads() == []  # nothing refused was kept
    same = web.upload("甲局", data, headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"})
    assert same.status_code == 200 and len(web.store.uploads()) == 1
    assert web.client.get(f"{web.link('甲局')}/upload").status_code == 405  # no state change by GET


def test_an_oversized_upload_is_refused_whether_declared_or_streamed(tmp_path, demo_report):
    web = Web(tmp_path / "data", max_upload=64 * 1024)
    big = b"PK\x03\x04" + b"\0" * (200 * 1024)
    res = web.upload("甲局", big)
    assert res.status_code == 413 and "上限" in res.json()["message"]

    def chunks():  # no Content-Length: the body streams, and reading stops at the limit
        for _ in range(50):
            yield b"\0" * 8192

    h = {"x-file-name": "a.xlsx", "x-csrf-token": web.csrf("甲局")}
    streamed = web.client.post(f"{web.link('甲局')}/upload", content=chunks(), headers=h)
    assert streamed.status_code == 413
    assert web.store.uploads() == [] and list(web.store.incoming.iterdir()) == []
    # a real workbook (about 50 KB) is still accepted under this limit
    ok = web.upload("甲局", workbook(demo_report, "甲局"))
    assert len(workbook(demo_report, "甲局")) < 64 * 1024 and ok.status_code == 200


def test_a_zip_bomb_is_kept_and_reported_unreadable_by_the_safe_reader(web):
    data, crc = deflated_zeros(600)
    bomb = raw_zip([("[Content_Types].xml", b"<Types/>", 0, 8, 0x0), ("xl/sharedStrings.xml", data, 8, 600 << 20, crc)])
    doc = web.upload("丙局", bomb, "丙局.xlsx").json()
    assert doc["status"] == "无法读取" and "压缩炸弹" in doc["verdict_html"]
    assert web.status()["丙局"] == "无法读取"
    assert len(web.store.uploads()) == 1  # every upload is kept, readable or not


def test_an_xml_entity_is_refused_by_the_same_reader(web, demo_report, tmp_path):
    from workbook_helpers import rezip

    good = tmp_path / "好.xlsx"
    good.write_bytes(workbook(demo_report, "丙局"))
    dtd = b'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    bad = rezip(good, tmp_path / "实体.xlsx", edit={"xl/workbook.xml": lambda xml: dtd + xml.split(b"?>", 1)[1].replace(b"<sheets>", b"<sheets>&x;", 1)})
    doc = web.upload("丙局", bad.read_bytes(), "丙局.xlsx").json()
    assert doc["status"] == "无法读取" and "不安全的 XML 实体" in doc["verdict_html"] and "root:" not in doc["verdict_html"]


def test_a_non_workbook_is_unreadable_and_a_foreign_type_is_refused(web):
    doc = web.upload("丙局", b"this is not a workbook", "丙局年报.xlsx").json()
    assert doc["status"] == "无法读取" and "无法读取" in doc["verdict_html"]
    assert "files" not in doc["verdict_html"]  # the data folder's own paths are never shown
    pdf = web.upload("丙局", b"%PDF-1.4", "年报.pdf")
    assert pdf.status_code == 415 and "年报.pdf" in pdf.json()["message"] and ".xlsx" in pdf.json()["message"]
    empty = web.upload("丙局", b"", "空.xlsx")
    assert empty.status_code == 400 and "空" in empty.json()["message"]
    assert len(web.store.uploads()) == 1


def test_another_units_workbook_through_my_link_is_never_attributed_to_it(web, demo_report):
    doc = web.upload("甲局", workbook(demo_report, "乙局"), "借来的.xlsx").json()
    assert doc["status"] == "模板不符（年度或单位）"
    assert "报告单位为“乙局”，应为“甲局”" in doc["verdict_html"]
    assert "（不是本单位的报告，未采用）" in doc["uploads_html"] and "（以此为准）" not in doc["uploads_html"]
    status = web.status()
    assert status["乙局"] == "未提交" and status["甲局"] == "未提交"
    board = web.client.get(f"{web.office}/board").text
    assert "最近一次上传的文件是“乙局”的报告，未采用" in board
    with zipfile.ZipFile(io.BytesIO(web.client.get(f"{web.office}/download/inbox.zip").content)) as z:
        assert z.namelist() == ["收件箱/"]  # an empty inbox folder: 乙局's workbook is not exported


def test_a_workbook_of_last_year_is_the_wrong_template(web, demo_previous):
    doc = web.upload("丙局", workbook(demo_previous, "丙局", year=2022)).json()
    assert doc["status"] == "模板不符（年度或单位）" and "这是2022年的报告，本次应报送2023年的报告" in doc["verdict_html"]


def test_every_text_a_unit_gave_is_escaped(web, demo_report):
    name = "<b>丁局</b>"
    page = web.client.get(web.link(name)).text
    assert "&lt;b&gt;丁局&lt;/b&gt;" in page and "<b>丁局</b>" not in page
    doc = web.upload(name, b"junk", '<img src=x onerror="alert(1)">.xlsx').json()
    for html in (doc["verdict_html"], doc["uploads_html"], web.client.get(f"{web.office}/board").text, web.client.get(web.office).text):
        assert "<img" not in html and "<b>丁局" not in html
    assert "&lt;img src=x" in doc["uploads_html"]


def test_security_headers_on_every_response(web, demo_report):
    responses = [
        web.client.get(web.link("甲局")), web.client.get(web.office), web.client.get("/static/app.js"),
        web.client.get("/nowhere"), web.upload("甲局", b"x", csrf=None), web.client.get(f"{web.office}/status.json"),
    ]
    for res in responses:
        for key, value in SECURITY_HEADERS.items():
            assert res.headers[key] == value, (res.url, key)
    csp = SECURITY_HEADERS["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert SECURITY_HEADERS["referrer-policy"] == "no-referrer"


def test_no_request_path_reaches_the_file_system(web, demo_report):
    web.upload("甲局", workbook(demo_report, "甲局"))
    assert web.client.get("/static/app.js").status_code == 200
    assert web.client.get("/static/style.css").headers["content-type"].startswith("text/css")
    for path in ("/static/../storage.py", "/static/%2e%2e/app.py", "/static/..%2fround.sqlite", "/static/round.sqlite",
                 "/static/__init__.py", "/static/", f"{web.office}/download/..%2f..%2fround.sqlite", f"{web.office}/download/summary.json",
                 "/round.sqlite", "/files"):
        res = web.client.get(path)
        assert res.status_code == 404, path
        assert b"SQLite" not in res.content


def test_pages_use_no_asset_from_elsewhere(web):
    for html in (web.client.get(web.link("甲局")).text, web.client.get(web.office).text):
        for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert ref.startswith("/"), ref
        assert "<script>" not in html  # no inline script: the CSP would block it


def test_another_host_name_is_refused_when_bound_to_loopback(tmp_path):
    web = Web(tmp_path / "data", allowed_hosts=("127.0.0.1", "localhost"))
    assert web.client.get(web.link("甲局")).status_code == 400  # Host: testserver, as a DNS-rebinding page would send
    local = web.client.get(web.link("甲局"), headers={"host": "127.0.0.1:8000"})
    assert local.status_code == 200


def test_deadline_marks_late_units(tmp_path, demo_report):
    import datetime as dt

    web = Web(tmp_path / "data", deadline=dt.date.today() - dt.timedelta(days=1))
    web.upload("甲局", workbook(demo_report, "甲局"))
    doc = web.client.get(f"{web.office}/status.json").json()
    late = {u["unit"]: u["late"] for u in doc["units"]}
    assert late == {"甲局": "逾期", "乙局": "逾期未提交", "丙局": "逾期未提交", "<b>丁局</b>": "逾期未提交"}
    web.store.close()
    on_time = Web(tmp_path / "data2", deadline=dt.date.today())  # the whole deadline day counts
    on_time.upload("甲局", workbook(demo_report, "甲局"))
    doc = on_time.client.get(f"{on_time.office}/status.json").json()
    assert {u["unit"]: u["late"] for u in doc["units"]} == {u: "" for u in ROSTER}
    assert "截止日期" in on_time.client.get(on_time.office).text


def test_office_page_board_and_downloads(web, demo_report):
    web.upload("甲局", workbook(demo_report, "甲局"))
    web.upload("乙局", unbalanced(demo_report, "乙局"))
    page = web.client.get(web.office)
    assert page.status_code == 200
    for unit in ("甲局", "乙局", "丙局", "&lt;b&gt;丁局&lt;/b&gt;"):
        assert unit in page.text
    assert "通过 1" in page.text and "有强制错误 1" in page.text and "未提交 2" in page.text
    assert "表三!E30" in page.text  # each unit's findings
    doc = web.client.get(f"{web.office}/status.json").json()
    assert doc["version"] == 2 and doc["counts"]["通过"] == 1
    for what, kind in (("status.xlsx", "spreadsheetml"), ("summary.xlsx", "spreadsheetml"), ("summary.docx", "wordprocessingml"),
                       ("reports.zip", "zip"), ("inbox.zip", "zip")):
        res = web.client.get(f"{web.office}/download/{what}")
        assert res.status_code == 200 and kind in res.headers["content-type"], what
    with zipfile.ZipFile(io.BytesIO(web.client.get(f"{web.office}/download/reports.zip").content)) as z:
        assert z.namelist() == ["单位报告/甲局.docx"]


def test_no_summary_before_any_unit_passes(web, demo_report):
    web.upload("乙局", unbalanced(demo_report, "乙局"))
    res = web.client.get(f"{web.office}/download/summary.xlsx")
    assert res.status_code == 409 and "暂无汇总" in res.text
    assert web.client.get(f"{web.office}/download/status.xlsx").status_code == 200


def test_resuming_keeps_keys_and_uploads_and_refuses_another_year(tmp_path, demo_report):
    from gkxl.errors import InputError
    from gkxl.web.storage import Store

    web = Web(tmp_path / "data")
    web.upload("甲局", workbook(demo_report, "甲局"))
    tokens, office = {n: u.token for n, u in web.units.items()}, web.round.office_token
    web.store.close()
    again = Web(tmp_path / "data", roster=ROSTER + ["戊局"])
    assert {n: u.token for n, u in again.units.items() if n != "戊局"} == tokens and again.round.office_token == office
    assert again.status() == {"甲局": "通过", "乙局": "未提交", "丙局": "未提交", "<b>丁局</b>": "未提交", "戊局": "未提交"}
    with pytest.raises(InputError, match="正由另一个 gkxl serve 使用"):
        Store.open(tmp_path / "data", roster=ROSTER, year=YEAR, deadline=None)  # one server per data folder
    again.store.close()
    # a unit taken off the roster: its link no longer opens, its upload is still kept
    fewer = Web(tmp_path / "data", roster=["乙局", "丙局"])
    assert fewer.client.get(f"/u/{tokens['甲局']}").status_code == 404
    assert len(fewer.store.uploads()) == 1 and list(fewer.status()) == ["乙局", "丙局"]
    fewer.store.close()
    with pytest.raises(InputError, match="2023年度的报送"):
        Store.open(tmp_path / "data", roster=ROSTER, year=2024, deadline=None)
    other = tmp_path / "别的文件夹"
    other.mkdir()
    (other / "重要.txt").write_text("x")
    with pytest.raises(InputError, match="不是 gkxl serve 的数据文件夹"):
        Store.open(other, roster=ROSTER, year=YEAR, deadline=None)


def test_links_workbook_is_replaced_only_when_it_is_ours(tmp_path):
    import openpyxl

    from gkxl.errors import InputError
    from gkxl.web.links import write_links

    path = tmp_path / "单位链接.xlsx"
    write_links(path, YEAR, [("甲局", "http://127.0.0.1:8000/u/abc")], "round1")
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[2]] == ["甲局", "http://127.0.0.1:8000/u/abc"]
    write_links(path, YEAR, [("甲局", "http://127.0.0.1:9000/u/abc")], "round1")  # ours: replaced
    assert openpyxl.load_workbook(path).active["B2"].value.endswith(":9000/u/abc")
    before = path.read_bytes()
    with pytest.raises(InputError, match="不会覆盖"):
        write_links(path, YEAR, [("甲局", "x")], "another-round")
    assert path.read_bytes() == before
    foreign = tmp_path / "别人的.xlsx"
    foreign.write_bytes(b"office's own file")
    with pytest.raises(InputError, match="不会覆盖"):
        write_links(foreign, YEAR, [("甲局", "x")], "round1")
    assert foreign.read_bytes() == b"office's own file"
