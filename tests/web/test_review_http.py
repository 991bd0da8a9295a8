"""The office's 审核 over HTTP: return with a reason, the unit sees it, re-uploads, is accepted and locked, reopened;
each action recorded once with who and when; another unit's link sees nothing of it; the same rules as the CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re

from web_helpers import Web, unbalanced, workbook

from gkxl.review_csv import loads


def office_csrf(web: Web) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', web.client.get(web.office).text).group(1)


def decide(web: Web, unit: str, data: bytes, verdict: str, opinion: str = "", reviewer: str = "王审核", *, js: bool = True, csrf: str | None = None, headers=None):
    form = {"csrf": csrf or office_csrf(web), "unit": str(web.units[unit].id), "sha256": hashlib.sha256(data).hexdigest(),
            "verdict": verdict, "opinion": opinion, "reviewer": reviewer}
    h = {"x-requested-with": "gkxl"} if js else {}
    h.update(headers or {})
    return web.client.post(f"{web.office}/review", data=form, headers=h, follow_redirects=False)


def board_review(web: Web) -> dict[str, str | None]:
    doc = web.client.get(f"{web.office}/status.json").json()
    return {u["unit"]: u["review"] for u in doc["units"]}


def test_the_whole_review_loop(web, demo_report):
    first = workbook(demo_report, "甲局", **{"sec2.licensing.decisions": 5})
    second = workbook(demo_report, "甲局", **{"sec2.licensing.decisions": 6})
    third = workbook(demo_report, "甲局", **{"sec2.licensing.decisions": 8})
    assert web.upload("甲局", first, "第一次.xlsx").json()["status"] == "通过"
    assert board_review(web)["甲局"] == "待审核" and board_review(web)["乙局"] is None

    # a return without a reason (or too short) is refused, and nothing is recorded
    for opinion in ("", "太少了"):
        res = decide(web, "甲局", first, "退回", opinion)
        assert res.status_code == 409 and res.json()["message"] == "退回须写明原因（至少6个字），单位将看到这些意见"
    assert web.round.reviews.count() == 0
    # no reviewer: refused
    res = decide(web, "甲局", first, "退回", "许可件数与正文不一致，请核对", reviewer=" ")
    assert res.status_code == 409 and "请填写审核人" in res.json()["message"]

    res = decide(web, "甲局", first, "退回", "许可件数与正文不一致，请核对")
    assert res.status_code == 200 and res.json()["ok"]
    assert board_review(web)["甲局"] == "已退回"
    page = web.client.get(web.link("甲局")).text
    assert 'id="returned"' in page and "许可件数与正文不一致，请核对" in page and "王审核" in page
    # another unit's link sees nothing of it
    other = web.client.get(web.link("乙局")).text
    assert "许可件数" not in other and "王审核" not in other and 'id="returned"' not in other

    # the unit uploads again: the reason no longer shows as pending, its history keeps it
    assert web.upload("甲局", second, "第二次.xlsx").json()["status"] == "通过"
    page = web.client.get(web.link("甲局")).text
    assert 'id="returned"' not in page and "许可件数与正文不一致，请核对" in page  # in the history
    assert board_review(web)["甲局"] == "待审核"

    # accept the second file, then an upload is refused with one Chinese line
    res = decide(web, "甲局", second, "通过")
    assert res.status_code == 200 and board_review(web)["甲局"] == "已通过"
    res = web.upload("甲局", third, "第三次.xlsx")
    assert res.status_code == 409 and res.json()["message"].startswith("本单位的报告已由政务公开办审核通过并锁定")
    page = web.client.get(web.link("甲局")).text
    assert 'id="locked"' in page and "disabled" in page
    # the page's form (a browser without script) is refused alike
    form = web.client.post(f"{web.link('甲局')}/upload", data={"csrf": web.csrf("甲局")},
                           files={"file": ("第三次.xlsx", third, "application/octet-stream")}, follow_redirects=False)
    assert form.status_code == 409 and "已由政务公开办审核通过并锁定" in form.text
    assert len(web.store.uploads(web.units["甲局"].id)) == 2
    # accepting again, or returning while locked, is refused
    assert decide(web, "甲局", second, "通过").status_code == 409
    assert decide(web, "甲局", second, "退回", "还是有问题需要修改").json()["message"] == "该单位的报告已审核通过并锁定，须先重新开放才能退回"

    # reopen needs a reason; then the upload is accepted
    assert decide(web, "甲局", second, "重新开放", "").status_code == 409
    assert decide(web, "甲局", second, "重新开放", "单位申请更正许可件数").status_code == 200
    res = web.upload("甲局", third, "第三次.xlsx")
    assert res.status_code == 200 and res.json()["status"] == "通过"
    assert board_review(web)["甲局"] == "待审核"

    # each action once, with the name and the time, oldest first; the history on the unit's page in that order
    kept = web.round.reviews.all()
    assert [(k.decision.verdict, k.decision.reviewer) for k in kept] == [("退回", "王审核"), ("通过", "王审核"), ("重新开放", "王审核")]
    for k in kept:
        when = dt.datetime.fromisoformat(k.decision.time)
        assert when.tzinfo is not None and abs((dt.datetime.now().astimezone() - when).total_seconds()) < 600
    assert [k.decision.sha256 for k in kept] == [hashlib.sha256(b).hexdigest() for b in (first, second, second)]
    history = web.client.get(web.link("甲局")).text
    kinds = re.findall(r'data-kind="([^"]+)"', history)
    assert kinds == ["上传", "退回", "上传", "通过", "重新开放", "上传"]
    doc = web.client.get(f"{web.office}/status.json").json()
    jia = next(u for u in doc["units"] if u["unit"] == "甲局")
    assert [d["verdict"] for d in jia["decisions"]] == ["退回", "通过", "重新开放"] and doc["reviews"] == 3


def test_a_file_with_mandatory_errors_cannot_be_accepted_and_a_verify_one_only_with_an_opinion(web, demo_report):
    bad = unbalanced(demo_report, "乙局")
    web.upload("乙局", bad)
    res = decide(web, "乙局", bad, "通过")
    assert res.status_code == 409 and "有强制错误" in res.json()["message"]
    from web_helpers import unit_report

    from gkxl.excel.writer import build_workbook

    rep = unit_report(demo_report, "丙局")
    rep.values.pop("sec2.licensing.decisions")
    verify = build_workbook(rep, lock_agency=True)
    assert web.upload("丙局", verify).json()["status"] == "待核实"
    res = decide(web, "丙局", verify, "通过")
    assert res.status_code == 409 and "待核实" in res.json()["message"]
    assert decide(web, "丙局", verify, "通过", "规章件数为零，已电话核实").status_code == 200
    assert board_review(web)["丙局"] == "已通过"


def test_an_action_needs_the_office_key_the_page_token_and_the_same_origin(web, demo_report):
    data = workbook(demo_report, "甲局")
    web.upload("甲局", data)
    form_args = dict(unit="甲局", data=data, verdict="退回", opinion="数据需要重新核对")
    assert decide(web, **form_args, csrf="x" * 64).status_code == 403
    assert decide(web, **form_args, headers={"origin": "http://evil.example"}).status_code == 403
    # a unit's own page token is not the office's
    assert decide(web, **form_args, csrf=web.csrf("甲局")).status_code == 403
    # another unit's key in the office's place: not found
    res = web.client.post(f"{web.link('甲局').replace('/u/', '/o/')}/review", data={"unit": "1"})
    assert res.status_code == 404
    # a file the unit does not have
    res = decide(web, "甲局", b"other bytes", "退回", "数据需要重新核对")
    assert res.status_code == 409 and "没有 SHA256 为" in res.json()["message"]
    assert web.round.reviews.count() == 0


def test_without_javascript_the_form_posts_and_comes_back(web, demo_report):
    data = workbook(demo_report, "甲局")
    web.upload("甲局", data)
    res = decide(web, "甲局", data, "退回", "数据需要重新核对", js=False)
    assert res.status_code == 303 and res.headers["location"] == f"{web.office}#unit-{web.units['甲局'].id}"
    res = decide(web, "甲局", data, "退回", "短", js=False)
    assert res.status_code == 409 and "退回须写明原因" in res.text and "text/html" in res.headers["content-type"]


def test_the_office_page_shows_links_the_review_column_and_the_chase_list(web, demo_report):
    data = workbook(demo_report, "甲局")
    web.upload("甲局", data)
    web.upload("乙局", unbalanced(demo_report, "乙局"))
    decide(web, "乙局", unbalanced(demo_report, "乙局"), "退回", "表三第二列不平衡，请修改")
    page = web.client.get(web.office).text
    for name in ("甲局", "乙局", "丙局"):
        assert f'value="/u/{web.units[name].token}"' in page
    assert "<th>审核</th>" in page
    text = re.search(r'<textarea id="chase-text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "未报送（2个）：丙局、&lt;b&gt;丁局&lt;/b&gt;" in text
    assert "已退回、待重报（1个）：乙局" in text and "尚未审核通过（1个）：甲局" in text


def test_the_exported_inbox_carries_the_decisions_the_cli_reads(web, demo_report):
    import io
    import zipfile

    data = workbook(demo_report, "甲局")
    web.upload("甲局", data)
    decide(web, "甲局", data, "通过", "已核对无误的报告")
    z = zipfile.ZipFile(io.BytesIO(web.client.get(f"{web.office}/download/inbox.zip").content))
    assert "审核记录.csv" in z.namelist()
    rows = loads(z.read("审核记录.csv").decode("utf-8-sig"))
    assert [(d.unit, d.verdict, d.opinion, d.reviewer) for _, d in rows] == [("甲局", "通过", "已核对无误的报告", "王审核")]


def test_the_web_keeps_exactly_the_decisions_the_cli_replay_accepts(tmp_path_factory):
    """Any sequence of office actions: what the web keeps replays without error in the CLI (review.replay) to the
    same states, and every action the web refused is refused by the replay at that point too — one rule set."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from gkxl.review import ReplayError, ReviewError, replay
    from gkxl.web.reviews import ReviewLog
    from gkxl.web.storage import Store

    files = {"f1": "通过", "f2": "待核实", "f3": "有强制错误", "f4": "无法读取"}
    sha = {k: hashlib.sha256(k.encode()).hexdigest() for k in files}
    status = {sha[k]: v for k, v in files.items()}
    action = st.tuples(st.sampled_from(["甲局", "乙局"]), st.sampled_from(sorted(files)), st.sampled_from(["通过", "退回", "重新开放", "同意"]),
                       st.sampled_from(["", "短", "已电话核实无误的数据"]), st.sampled_from(["王审核", " "]))

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(action, max_size=10))
    def run(actions):
        store = Store.open(tmp_path_factory.mktemp("d"), roster=["甲局", "乙局"], year=2023, deadline=None)
        try:
            log = ReviewLog(store)
            units = {u.name: u for u in store.units()}
            kept = []
            for unit, f, verdict, opinion, reviewer in actions:
                try:
                    kept.append(log.decide(units[unit], sha[f], verdict, opinion, reviewer, status[sha[f]]))
                except ReviewError:
                    trial = [k.decision for k in log.all()]
                    probe = trial + [dataclasses.replace(trial[-1] if trial else kept_template(unit), unit=unit, sha256=sha[f], verdict=verdict,
                                                         opinion=opinion.strip(), reviewer=" ".join(reviewer.split()))]
                    try:
                        replay(probe, ["甲局", "乙局"], lambda u, s: status.get(s))
                    except ReplayError as exc:
                        assert exc.index == len(trial)
                    else:
                        raise AssertionError(f"the web refused what the CLI accepts: {probe[-1]}")
            decisions = [k.decision for k in log.all()]
            assert decisions == kept
            reviews = replay(decisions, ["甲局", "乙局"], lambda u, s: status.get(s))
            for name, unit in units.items():
                assert reviews[name].accepted == log.review(unit).accepted
        finally:
            store.close()

    run()


def kept_template(unit: str):
    from gkxl.review import Decision

    return Decision(unit, "", "", "", "", dt.datetime.now().astimezone().isoformat())


def test_a_decision_on_a_unit_taken_off_the_roster_is_kept_but_not_replayed(tmp_path, demo_report):
    import io
    import zipfile

    web = Web(tmp_path / "data")
    data = {u: workbook(demo_report, u) for u in ("甲局", "乙局")}
    for u, d in data.items():
        web.upload(u, d)
    decide(web, "乙局", data["乙局"], "退回", "正文第五部分缺少内容")
    decide(web, "甲局", data["甲局"], "通过")
    web.store.close()
    web = Web(tmp_path / "data", roster=["甲局", "丙局"])  # the office restarts with a new roster: 乙局 is gone
    try:
        assert board_review(web) == {"甲局": "已通过", "丙局": None}
        assert web.round.reviews.count() == 2  # kept in the database
        z = zipfile.ZipFile(io.BytesIO(web.client.get(f"{web.office}/download/inbox.zip").content))
        rows = loads(z.read("审核记录.csv").decode("utf-8-sig"))
        assert [(d.unit, d.verdict) for _, d in rows] == [("甲局", "通过")]
        assert web.client.get(f"{web.office}/download/status.xlsx").status_code == 200
    finally:
        web.store.close()
