"""Uploading without JavaScript: the unit page's own form (multipart POST, the CSRF token in a hidden field), sent
as a browser without script sends it, answered by a redirect to the unit page showing the verdict; every refusal
of the script path holds for the form too, as a Chinese page."""

from __future__ import annotations

from html.parser import HTMLParser

from web_helpers import Web, unbalanced, workbook


class FormOf(HTMLParser):
    """The upload form of a page as a browser sees it: its attributes, its hidden fields and its file input."""

    def __init__(self, html: str):
        super().__init__()
        self.form: dict | None = None
        self.hidden: dict[str, str] = {}
        self.file_field: str | None = None
        self.submit = False
        self._inside = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "upload-form":
            self.form, self._inside = a, True
        elif self._inside and tag == "input" and a.get("type") == "hidden":
            self.hidden[a["name"]] = a.get("value", "")
        elif self._inside and tag == "input" and a.get("type") == "file":
            self.file_field = a.get("name")
        elif self._inside and tag == "button" and a.get("type") == "submit":
            self.submit = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


def post_form(web: Web, unit: str, data: bytes | None, filename: str = "年报.xlsx", *, fields: dict | None = None, headers=None):
    """What a browser without script does: read the page, fill the form's file input, press 上传并检查."""
    form = FormOf(web.client.get(web.link(unit)).text)
    assert form.form is not None and form.file_field and form.submit
    values = dict(form.hidden) if fields is None else fields
    files = {form.file_field: (filename, data or b"", "application/octet-stream")} if data is not None else {form.file_field: ("", b"", "application/octet-stream")}
    return web.client.post(form.form["action"], data=values, files=files, headers=headers or {}, follow_redirects=False)


def test_the_page_has_a_form_that_works_without_script(web):
    form = FormOf(web.client.get(web.link("甲局")).text)
    assert form.form["method"] == "post" and form.form["enctype"] == "multipart/form-data"
    assert form.form["action"] == f"{web.link('甲局')}/upload"
    assert form.hidden == {"csrf": web.csrf("甲局")} and form.file_field == "file" and form.submit
    assert "需要浏览器启用 JavaScript" not in web.client.get(web.link("甲局")).text


def test_a_form_upload_redirects_to_the_units_page_showing_its_verdict(web, demo_report):
    res = post_form(web, "甲局", unbalanced(demo_report, "甲局"), "甲局年报.xlsx")
    assert res.status_code == 303
    [up] = web.store.uploads()
    assert res.headers["location"] == f"{web.link('甲局')}?upload={up.id}#verdict"
    page = web.client.get(res.headers["location"]).text
    assert f'data-upload="{up.id}"' in page and "甲局年报.xlsx" in page
    assert "结论：2个强制错误" in page and "R-BALANCE" in page and "必须改正" in page
    assert web.status()["甲局"] == "有强制错误"

    fixed = post_form(web, "甲局", workbook(demo_report, "甲局"), "甲局年报-改.xlsx")
    assert fixed.status_code == 303
    page = web.client.get(fixed.headers["location"]).text
    assert "结论：通过" in page and "下载本单位的年度报告（Word）" in page
    assert web.status()["甲局"] == "通过" and len(web.store.uploads()) == 2
    # the redirect names the upload; another unit's upload id shows this unit's own latest, never the other's
    other = post_form(web, "乙局", unbalanced(demo_report, "乙局"), "乙局的.xlsx")
    other_id = int(other.headers["location"].split("upload=")[1].split("#")[0])
    page = web.client.get(f"{web.link('甲局')}?upload={other_id}").text
    assert "乙局的.xlsx" not in page and "甲局年报-改.xlsx" in page


def test_the_form_is_refused_without_or_with_a_wrong_csrf_token_or_from_elsewhere(web, demo_report):
    data = workbook(demo_report, "甲局")
    for fields in ({}, {"csrf": "0" * 64}, {"csrf": web.csrf("乙局")}):
        res = post_form(web, "甲局", data, fields=fields)
        assert res.status_code == 403 and "页面校验码缺失或不符" in res.text and 'href="' + web.link("甲局") + '"' in res.text
    foreign = post_form(web, "甲局", data, headers={"origin": "http://evil.example"})
    assert foreign.status_code == 403 and "报送页面" in foreign.text
    assert post_form(web, "甲局", data, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert post_form(web, "甲局", data, headers={"origin": "null"}).status_code == 403  # null without the browser's word
    assert post_form(web, "甲局", data, headers={"origin": "null", "sec-fetch-site": "cross-site"}).status_code == 403
    assert web.store.uploads() == []
    # what Chromium sends for our form (the page has referrer-policy no-referrer): Origin null, same-origin fetch
    ok = post_form(web, "甲局", data, headers={"origin": "null", "sec-fetch-site": "same-origin"})
    assert ok.status_code == 303 and len(web.store.uploads()) == 1


def test_the_form_refuses_no_file_an_empty_file_a_foreign_type_and_an_oversized_file(tmp_path, demo_report):
    web = Web(tmp_path / "data", max_upload=64 * 1024)
    try:
        none = post_form(web, "甲局", None)
        assert none.status_code == 400 and "请先选择要上传的工作簿" in none.text
        empty = post_form(web, "甲局", b"", "空.xlsx")
        assert empty.status_code == 400 and "上传的文件是空的" in empty.text
        pdf = post_form(web, "甲局", b"%PDF-1.4", "<b>年报.pdf")
        assert pdf.status_code == 415 and "&lt;b&gt;年报.pdf" in pdf.text and "<b>年报" not in pdf.text
        big = post_form(web, "甲局", b"PK\x03\x04" + b"\0" * (200 * 1024))
        assert big.status_code == 413 and "上限" in big.text
        assert web.store.uploads() == [] and list(web.store.incoming.iterdir()) == []
        ok = post_form(web, "甲局", workbook(demo_report, "甲局"))
        assert ok.status_code == 303 and len(web.store.uploads()) == 1
    finally:
        web.store.close()


def test_a_form_with_more_than_one_file_is_refused(web, demo_report):
    data = workbook(demo_report, "甲局")
    files = [("file", ("a.xlsx", data, "application/octet-stream")), ("file", ("b.xlsx", data, "application/octet-stream"))]
    res = web.client.post(f"{web.link('甲局')}/upload", data={"csrf": web.csrf("甲局")}, files=files, follow_redirects=False)
    assert res.status_code == 400 and "表单无法读取" in res.text
    assert web.store.uploads() == []
