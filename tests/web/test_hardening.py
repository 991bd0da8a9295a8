"""gkxl serve under attack from outside (issue 22): odd numbers in the address, a foreign Referer, the methods a
405 names. Each test would fail with the defect it names back in place."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import pytest
from test_form import post_form
from web_helpers import Web, workbook

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


# Permissions: every unit's key is in the database and the links workbook ------------------------------------------

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions; on Windows the folder's NTFS permissions decide")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextlib.contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def key_files(data: Path) -> list[Path]:
    return [data / n for n in ("round.sqlite", "round.sqlite-wal", "round.sqlite-shm", ".lock") if (data / n).exists()]


@posix_only
def test_a_new_data_folder_and_its_key_files_are_private_under_the_usual_umask(tmp_path, demo_report):
    with umask(0o022):
        web = Web(tmp_path / "年度数据")
        try:
            web.upload("甲局", workbook(demo_report, "甲局"))  # the write-ahead log is written
            data = web.store.data
            assert mode(data) == 0o700 and mode(data / "files") == 0o700 and mode(data / ".incoming") == 0o700
            files = key_files(data)
            assert {p.name for p in files} >= {"round.sqlite", "round.sqlite-wal", "round.sqlite-shm"}
            assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
            assert all(mode(p) == 0o600 for p in (data / "files").rglob("*") if p.is_file())  # the uploads, as before
        finally:
            web.store.close()


@posix_only
def test_a_resumed_round_makes_an_open_folder_private_again(tmp_path, demo_report):
    with umask(0o022):
        web = Web(tmp_path / "数据")
        web.upload("甲局", workbook(demo_report, "甲局"))
        web.store.close()
        data = web.store.data
        # as an older gkxl left it (or a copy made with cp/unzip): readable by everyone
        for p in (data, data / "files", data / ".incoming"):
            p.chmod(0o755)
        for p in key_files(data):
            p.chmod(0o644)
        Path(f"{data}/round.sqlite-wal").touch(0o644)
        again = Web(data)
        try:
            assert mode(data) == 0o700 and mode(data / "files") == 0o700
            assert {p.name: mode(p) for p in key_files(data)} == {p.name: 0o600 for p in key_files(data)}
            assert again.status()["甲局"] == "通过"  # and it is the same round
        finally:
            again.store.close()


@posix_only
def test_the_links_workbook_is_private_also_when_it_replaces_an_open_one(tmp_path):
    from gkxl.web.links import write_links

    path = tmp_path / "单位链接.xlsx"
    with umask(0o022):
        write_links(path, 2023, [("甲局", "http://127.0.0.1:8000/u/key")], "round-1")
        assert mode(path) == 0o600
        path.chmod(0o644)
        write_links(path, 2023, [("甲局", "http://127.0.0.1:8000/u/key")], "round-1")  # the same round, resumed
        assert mode(path) == 0o600
        assert os.umask(0o022) == 0o022  # and the process's umask is as it was


# Long and odd file names: the kind is read from the whole name and the content -----------------------------------

def long_name(length: int, suffix: str = ".xlsx", char: str = "报") -> str:
    stem = "甲局2023年政府信息公开工作年度报告" + char * length
    return stem[: length - len(suffix)] + suffix


@pytest.mark.parametrize("length", [240, 300, 1000])
@pytest.mark.parametrize("char", ["报", "a"])
def test_a_valid_workbook_with_a_long_name_is_accepted_and_its_name_shortened_only_to_keep_and_show(web, demo_report, length, char):
    from gkxl.web.app import NAME_LIMIT

    name = long_name(length, char=char)
    assert len(name) == length
    data = workbook(demo_report, "甲局")
    res = web.upload("甲局", data, name)
    assert res.status_code == 200, res.text
    assert res.json()["status"] == "通过"
    [up] = web.store.uploads()
    assert up.suffix == ".xlsx" and len(up.filename) == NAME_LIMIT
    assert up.filename.startswith(name[:60]) and up.filename.endswith(name[-20:]) and "…" in up.filename
    assert up.filename in res.json()["verdict_html"]
    assert web.client.get(f"{web.link('甲局')}/uploads/{up.id}").content == data
    # the page's form (no script) likewise
    form = post_form(web, "甲局", data, name)
    assert form.status_code == 303, form.text
    assert web.status()["甲局"] == "通过" and len(web.store.uploads()) == 2


def test_a_refusal_names_its_true_cause_whatever_the_names_length(web, demo_report):
    for name in (long_name(300, ".pdf"), long_name(240, ".docx"), "年报.pdf"):
        res = web.upload("甲局", b"%PDF-1.4 not a workbook", name)
        message = res.json()["message"]
        assert res.status_code == 415 and f"扩展名为“{name[name.rindex('.'):]}”" in message, message
        assert len(message) < 250  # the name in it is shortened too
    res = web.upload("甲局", b"plain text", long_name(300, ""))
    assert res.status_code == 415 and "没有扩展名" in res.json()["message"]
    # a zip that is not a workbook, named without a suffix: refused, never checked as one
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "x")
    res = web.upload("甲局", buf.getvalue(), "资料")
    assert res.status_code == 415 and "没有扩展名" in res.json()["message"]
    assert web.store.uploads() == [] and list(web.store.incoming.iterdir()) == []


@pytest.mark.parametrize("name", ["甲局年报", "甲局年报.xlsx ", "甲局年报.xlsx.", "甲局年报.XLSX", "甲局年报.下载", "C:\\fakepath\\甲局年报"])
def test_a_workbook_whose_name_lost_or_changed_its_suffix_is_read_by_its_content(web, demo_report, name):
    """A browser or mail program that drops or changes the suffix: the content says it is a workbook."""
    data = workbook(demo_report, "甲局")
    res = web.upload("甲局", data, name)
    assert res.status_code == 200 and res.json()["status"] == "通过", res.text
    [up] = web.store.uploads()
    assert up.suffix == ".xlsx" and "fakepath" not in up.filename


# Property: whatever text an address or a header carries, a number is an id in range or nothing -------------------

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gkxl.web.app import MAX_ID, number_of  # noqa: E402


@given(st.text(max_size=30) | st.from_regex(r"\A[0-9]{1,25}\Z") | st.integers(min_value=-5, max_value=2**64).map(str))
def test_number_of_never_raises_and_gives_only_ids_in_range(text):
    value = number_of(text)
    assert value is None or (0 <= value <= MAX_ID and text.isascii() and text.isdigit() and int(text) == value)


@given(st.integers(min_value=0, max_value=MAX_ID))
def test_every_id_in_range_reads_back(value):
    assert number_of(str(value)) == value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(segment=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#%"), min_size=1, max_size=25)
       | st.from_regex(r"\A[0-9]{15,30}\Z"))
@example(segment="9223372036854775808")
@example(segment="²")
def test_any_upload_segment_in_the_address_is_answered_never_500(web, segment):
    from urllib.parse import quote

    for url in (f"{web.link('甲局')}/uploads/{quote(segment, safe='')}", f"{web.office}/uploads/{quote(segment, safe='')}/report"):
        assert web.client.get(url).status_code in (404, 200, 409), url
    assert web.client.get(web.link("甲局"), params={"upload": segment}).status_code in (404, 200)
