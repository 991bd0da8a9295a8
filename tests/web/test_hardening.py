"""gkxl serve under attack from outside (issue 22): odd numbers in the address, a foreign Referer, the methods a
405 names. Each test would fail with the defect it names back in place."""

from __future__ import annotations

import pytest
from test_form import post_form
from web_helpers import workbook

# Numbers an address may carry that are no id of ours: past SQLite's integer range, Unicode digits `str.isdigit()`
# accepts and `int()` refuses (or reads differently), a sign, nothing, more digits than Python reads.
ODD_IDS = ["9223372036854775808", "99999999999999999999999", "²", "①", "١", "-1", "+1", " 1", "1.0", "0x1", "", "9" * 5000]


@pytest.mark.parametrize("odd", ODD_IDS)
def test_an_odd_upload_id_in_the_address_is_404_never_500(web, demo_report, odd):
    first = web.upload("甲局", workbook(demo_report, "甲局")).json()["upload"]
    unit, office = web.link("甲局"), web.office
    for url in (f"{unit}/uploads/{odd}", f"{unit}/uploads/{odd}/report", f"{office}/uploads/{odd}", f"{office}/uploads/{odd}/report"):
        res = web.client.get(url)
        assert res.status_code == 404, (url, res.status_code, res.text[:200])
        assert "链接无效" in res.text
    res = web.client.get(unit, params={"upload": odd})
    assert res.status_code == 404, res.text[:200]
    # the real id still works on every route, the largest id in range is simply not found
    assert web.client.get(f"{unit}/uploads/{first}").status_code == 200
    assert web.client.get(f"{office}/uploads/{first}/report").status_code == 200
    assert web.client.get(unit, params={"upload": str(first)}).status_code == 200
    assert web.client.get(f"{office}/uploads/9223372036854775807").status_code == 404
    assert web.client.get(unit, params={"upload": "9223372036854775807"}).status_code == 200  # not its upload: its latest


@pytest.mark.parametrize("length", ["²".encode("latin-1"), "①".encode(), b"99999999999999999999999", b"-5", b"9" * 5000])
def test_an_odd_content_length_is_refused_not_an_internal_error(web, demo_report, length):
    """Starlette's test client passes the header as given (a real server's HTTP parser refuses it even earlier);
    headers arrive decoded as Latin-1, where byte B2 is ²."""
    data = workbook(demo_report, "甲局")
    res = web.upload("甲局", data, headers={"content-length": length})
    assert res.status_code in (400, 413) and res.status_code != 500
    assert web.store.uploads() == []


def test_without_origin_a_referer_from_another_origin_is_refused(web, demo_report):
    data = workbook(demo_report, "甲局")
    page = f"http://testserver{web.link('甲局')}"
    for referer in ("http://evil.example/page", "http://testserver.evil.example/", "https://evil.example" + web.link("甲局"),
                    "http://testserver:8080/", "http://user@testserver/", "file:///C:/a.html", "javascript:alert(1)", "not a url", "http://[::1"):
        res = web.upload("甲局", data, headers={"referer": referer})
        assert res.status_code == 403 and "报送页面" in res.json()["message"], referer
        form = post_form(web, "甲局", data, headers={"referer": referer})
        assert form.status_code == 403 and "报送页面" in form.text, referer
    # with Sec-Fetch-Site cross-site as before, whatever the Referer says
    assert web.upload("甲局", data, headers={"referer": page, "sec-fetch-site": "cross-site"}).status_code == 403
    assert web.store.uploads() == []
    # a page of this server as Referer, and no Referer at all (our pages send none), are accepted
    assert web.upload("甲局", data, headers={"referer": page}).status_code == 200
    assert post_form(web, "甲局", data, headers={"referer": page}).status_code == 303
    assert web.upload("甲局", data).status_code == 200
    # Origin, when sent, decides as before (a same-origin Origin is not overruled by a Referer)
    assert web.upload("甲局", data, headers={"origin": "http://testserver", "referer": "http://evil.example/"}).status_code == 200
    assert web.upload("甲局", data, headers={"origin": "http://evil.example", "referer": page}).status_code == 403
    assert len(web.store.uploads()) == 4


def test_a_405_names_the_methods_the_address_takes(web):
    res = web.client.get(f"{web.link('甲局')}/upload")
    assert res.status_code == 405 and res.headers["allow"] == "POST"
    assert "不支持" in res.text
    for url in (web.link("甲局"), f"{web.office}/status.json", f"{web.office}/download/inbox.zip", "/"):
        res = web.client.post(url)
        assert res.status_code == 405, url
        assert set(res.headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}, url
    assert web.client.delete(f"{web.link('甲局')}/upload").headers["allow"] == "POST"
