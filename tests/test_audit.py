"""Nothing published changes unseen: the audit of the working copy as the next release, and between releases.

Each case publishes the template estate through the command line in a real
git repository, then edits its working copy as a careless or dishonest firm
would; ``check`` must report it before any release, located at the changed
value, and ``release`` must refuse it, writing nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import CODES
from generator.pipeline import estate_steps, load_site
from generator.releases import document_hash

from .conftest import Site, run_git

FUND = "accounts/maintenance-fund/2025-h1.yaml"
FIRST = ["--id", "2025-h1", "--date", "2025-07-10"]
FIRST += ["--posting-from", "2025-07-10", "--posting-to", "2025-07-24"]
NEXT = ["--id", "2025-h2", "--date", "2026-01-10"]
NEXT += ["--posting-from", "2026-01-10", "--posting-to", "2026-01-24"]
NOTICE = "notices/2025-05-25-fee-adjustment.md"
COMPLAINTS = "accounts/complaint-handling/2025-h1.yaml"
COVENANT = "documents/2024-covenant.md"
CORRECTION_NOTICE = """\
---
title: 更正公告
date: 2025-12-20
category: 更正
posting: {from: 2025-12-20, to: 2026-01-05}
---
更正已公示的数据，详见更正记录。
"""
NEXT_FUND = """\
period: {{from: 2025-07-01, to: 2025-12-31}}
opening: 913900.00
income:
  - {{id: mf-2025-003, date: 2025-12-21, category: 利息, amount: 4400.00, summary: 2025 年下半年专户利息}}
expenditure:
{spending}
closing: {closing}
"""
LIFT = "  - {id: mf-2025-004, date: 2025-11-02, category: 维修工程, amount: 700000.00, summary: 1 号楼外墙, project: 1 号楼外墙修缮, contractor: 某建设公司, buildings: [b1], split: 按面积分摊, vote: vote-2025-roof}"


def cli(site: Site, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(site.root), *args])
    return result.exit_code, result.output


def edit(site: Site, relative: str, old: str, new: str) -> None:
    path = site.estate / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def tally_rewritten(site: Site) -> None:
    """A published vote's approving area rewritten in the working copy: 12,100.00 -> 12,010.00."""
    edit(
        published(site),
        "votes.yaml",
        "approving: {area: 12100.00, headcount: 182}",
        "approving: {area: 12010.00, headcount: 182}",
    )


def corrected(site: Site, reason: str) -> None:
    """The rewrite put right in the open: its correction record and the notice announcing it."""
    site.write("notices/2025-12-20-correction.md", CORRECTION_NOTICE)
    site.write(
        "corrections.yaml",
        f"corrections:\n  - {{id: fix-1, date: 2025-12-20, path: votes.votes.vote-2025-fee.approving.area, old: 12100.00, new: 12010.00, reason: {reason}, notice: 2025-12-20-correction}}\n",
    )


def published(site: Site) -> Site:
    """Release the template through the command line and commit it, as a firm would."""
    code, output = cli(site, "release", "x", *FIRST)
    assert code == 0, output
    run_git(site.root, "add", ".")
    run_git(site.root, "commit", "-q", "-m", "release 2025-h1")
    return site


def findings(site: Site, code: str, *args: str) -> list[str]:
    """Lines of ``check`` carrying a code."""
    _code, output = cli(site, "check", *args)
    return [line for line in output.splitlines() if f" {code} " in line]


def line_at(site: Site, finding: str) -> str:
    """The line of the working copy a finding points at."""
    where = finding.split(": ", 1)[0]
    file, line, _column = where.rsplit(":", 2)
    return (site.root / file).read_text(encoding="utf-8").splitlines()[int(line) - 1]


def assert_refused(site: Site, code: str) -> str:
    """``release`` exits 1 naming the code, and writes no snapshot."""
    before = sorted((site.estate / "releases").iterdir())
    status, output = cli(site, "release", "x", *NEXT)
    assert status == 1, output
    assert f" {code} 错误: " in output
    assert sorted((site.estate / "releases").iterdir()) == before
    return output


# (what changes, the edit, the code, a word of the changed line, a word of the message)
Tamper = tuple[str, Callable[[Site], None], str, str, str]
TAMPERING: list[Tamper] = [
    (
        "fee amount",
        lambda s: edit(s, "fees.yaml", "amount: 150.00", "amount: 180.00"),
        "H008",
        "amount: 180.00",
        "fees.standards.parking-ground.periods.2020-01-01.amount",
    ),
    (
        "fee dates",
        lambda s: edit(s, "fees.yaml", "to: 2025-06-30", "to: 2025-05-31"),
        "H008",
        "to: 2025-05-31",
        "由 2025-06-30 改为 2025-05-31",
    ),
    (
        "fee posted date backdated",
        lambda s: edit(s, "fees.yaml", "posted: 2025-05-25", "posted: 2025-04-01"),
        "H008",
        "posted: 2025-04-01",
        ".posted",
    ),
    (
        "contract amount",
        lambda s: edit(s, "contracts.yaml", "value: 219300.00", "value: 260000.00"),
        "H004",
        "value: 260000.00",
        "contracts.contracts.service-2024.amount.value",
    ),
    (
        "vote tally",
        lambda s: edit(
            s,
            "votes.yaml",
            "approving: {area: 12100.00, headcount: 182}",
            "approving: {area: 14100.00, headcount: 182}",
        ),
        "H008",
        "approving: {area: 14100.00",
        "由 12100.00 改为 14100.00",
    ),
    (
        "vote electorate",
        lambda s: edit(
            s,
            "votes.yaml",
            "total: {area: 21500.00, headcount: 320}\n    participating: {area: 15200.00",
            "total: {area: 19000.00, headcount: 320}\n    participating: {area: 15200.00",
        ),
        "H008",
        "total: {area: 19000.00",
        "votes.votes.vote-2025-fee.total.area",
    ),
    (
        "notice date",
        lambda s: edit(s, NOTICE, "date: 2025-05-25", "date: 2025-05-01"),
        "H008",
        "date: 2025-05-01",
        "notices.2025-05-25-fee-adjustment.date",
    ),
    (
        "notice posting period",
        lambda s: edit(s, NOTICE, "to: 2025-06-30}", "to: 2025-07-15}"),
        "H008",
        "posting: {from: 2025-05-25, to: 2025-07-15}",
        "notices.2025-05-25-fee-adjustment.posting.to",
    ),
    (
        "notice body",
        lambda s: edit(s, NOTICE, "调整为 1.00 元", "调整为 1.20 元"),
        "H008",
        "调整为 1.20 元",
        "path: notices.2025-05-25-fee-adjustment.body（内容较长，old 和 new 可以不填）",
    ),
    (
        "statement line",
        lambda s: edit(s, FUND, "amount: 4900.00", "amount: 4950.00"),
        "H001",
        "amount: 4950.00",
        "accounts.maintenance_fund.2025-h1.income.mf-2025-001.amount",
    ),
    (
        "statement total",
        lambda s: edit(
            s, "accounts/public-revenue/2025-h1.yaml", "closing: 18600.00", "closing: 18000.00"
        ),
        "H001",
        "closing: 18000.00",
        "accounts.public_revenue.2025-h1.closing",
    ),
    (
        "building area",
        lambda s: edit(s, "estate.yaml", "floor_area: 10800.00", "floor_area: 11800.00"),
        "H008",
        "floor_area: 11800.00",
        "estate.buildings.b2.floor_area",
    ),
    (
        "fund's first deposit",
        lambda s: edit(
            s, "estate.yaml", "initial_deposit: 1075000.00", "initial_deposit: 1000000.00"
        ),
        "H008",
        "initial_deposit: 1000000.00",
        "estate.maintenance_fund.initial_deposit",
    ),
    (
        "committee's term",
        lambda s: edit(
            s,
            "estate.yaml",
            "term: {from: 2024-01-01, to: 2028-12-31}",
            "term: {from: 2024-01-01, to: 2029-12-31}",
        ),
        "H008",
        "term: {from: 2024-01-01, to: 2029-12-31}",
        "estate.committee.term.to",
    ),
    (
        "survey score",
        lambda s: edit(s, "evaluations.yaml", "score: 86.5 ", "score: 88.5 "),
        "H008",
        "score: 88.5",
        "evaluations.surveys.survey-2025-q1.score",
    ),
    (
        "survey item's score",
        lambda s: edit(
            s, "evaluations.yaml", "category: 保洁, score: 84.0", "category: 保洁, score: 86.0"
        ),
        "H008",
        "score: 86.0",
        "evaluations.surveys.survey-2025-q1.items.cleaning.score",
    ),
    (
        "evaluation's rank",
        lambda s: edit(s, "evaluations.yaml", "rank: 4 ", "rank: 3 "),
        "H008",
        "rank: 3",
        "evaluations.reviews.review-2024.rank",
    ),
    (
        "complaint count",
        lambda s: edit(s, COMPLAINTS, "median_days: 2.5", "median_days: 1.5"),
        "H001",
        "median_days: 1.5",
        "accounts.complaint_handling.2025-h1.median_days",
    ),
    (
        "complaints of a category",
        lambda s: edit(
            s, COMPLAINTS, "{category: 维修, received: 19,", "{category: 维修, received: 18,"
        ),
        "H001",
        "{category: 维修, received: 18",
        "accounts.complaint_handling.2025-h1.by_category.维修.received",
    ),
    (
        "meeting's problems solved",
        lambda s: edit(s, "meetings.yaml", "solved: 5 ", "solved: 6 "),
        "H008",
        "solved: 6",
        "meetings.meetings.reception-2025-06-11.solved",
    ),
    (
        "the committee's election",
        lambda s: edit(s, "governance.yaml", "party_members: 3 ", "party_members: 4 "),
        "H008",
        "party_members: 4",
        "governance.elections.election-2023.party_members",
    ),
    (
        "管理规约's text",
        lambda s: edit(s, COVENANT, "## 第一章 总则", "## 第一章 总则和适用范围"),
        "H008",
        "总则和适用范围",
        "path: documents.2024-covenant.body（内容较长，old 和 new 可以不填）",
    ),
]


@pytest.mark.parametrize("tamper", TAMPERING, ids=[t[0] for t in TAMPERING])
def test_a_published_fact_changed_in_place_is_caught_before_release(
    site: Site, tamper: Tamper
) -> None:
    _what, change, code, changed_line, said = tamper
    change(published(site))
    (finding,) = findings(site, code)
    assert said in finding, finding
    assert "已在 2025-07-10 发布的期次 2025-h1 中公示" in finding
    assert changed_line in line_at(site, finding), finding
    assert not finding.startswith("content/x/releases/")  # at the value to put back, not in history
    assert_refused(site, code)


REMOVALS: list[tuple[str, Callable[[Site], None], str]] = [
    ("a notice", lambda s: (s.estate / NOTICE).unlink(), "notices.2025-05-25-fee-adjustment"),
    (
        "a statement",
        lambda s: (s.estate / "accounts/property-fees/2024.yaml").unlink(),
        "accounts.property_fees.2024",
    ),
    (
        "a vote",
        lambda s: edit(s, "votes.yaml", "  - id: vote-2023-renew\n", "  - id: vote-2023-renewed\n"),
        "votes.votes.vote-2023-renew",
    ),
    (
        "a survey",
        lambda s: edit(
            s, "evaluations.yaml", "  - id: survey-2025-q1\n", "  - id: survey-2025-first\n"
        ),
        "evaluations.surveys.survey-2025-q1",
    ),
    ("a document", lambda s: (s.estate / COVENANT).unlink(), "documents.2024-covenant"),
    ("the meetings", lambda s: (s.estate / "meetings.yaml").unlink(), "meetings"),
    (
        "a complaint statement",
        lambda s: (s.estate / COMPLAINTS).unlink(),
        "accounts.complaint_handling.2025-h1",
    ),
    (
        "a fee period",
        lambda s: edit(
            s,
            "fees.yaml",
            "      - from: 2020-01-01\n        amount: 150.00",
            "      - from: 2020-02-01\n        amount: 150.00",
        ),
        "fees.standards.parking-ground.periods.2020-01-01",
    ),
]


@pytest.mark.parametrize("removal", REMOVALS, ids=[r[0] for r in REMOVALS])
def test_a_published_fact_removed_is_caught(
    site: Site, removal: tuple[str, Callable[[Site], None], str]
) -> None:
    _what, change, place = removal
    change(published(site))
    _code, output = cli(site, "check")
    assert any(place + "：" in line and "现在被删除了" in line for line in output.splitlines()), (
        output
    )


def test_additions_and_what_is_filled_in_later_are_free(site: Site) -> None:
    published(site)
    site.write(
        "accounts/maintenance-fund/2025-h2.yaml",
        NEXT_FUND.format(spending="  []", closing="918300.00").replace(
            "expenditure:\n  []", "expenditure: []"
        ),
    )
    edit(
        site,
        "fees.yaml",
        "        amount: 150.00\n",
        "        to: 2025-12-31\n        amount: 150.00\n",
    )
    old = "        basis: {kind: 业主大会决议, ref: 2019 年业主大会决议}\n"
    rise = "      - from: 2026-01-01\n        amount: 160.00\n        regime: 市场调节价\n        basis: {kind: 业主大会决议, ref: 2025 年第二次业主大会决议}\n        posted: 2025-11-20\n"
    edit(site, "fees.yaml", old, old + rise)
    edit(
        site,
        "contracts.yaml",
        "    # attachment:",
        "    attachment: attachments/service-2024.pdf\n    # was:",
    )
    (site.estate / "attachments").mkdir(exist_ok=True)
    (site.estate / "attachments" / "service-2024.pdf").write_bytes(b"%PDF-1.4\n")
    edit(site, "estate.yaml", "    name: 王经理", "    name: 李经理")  # a new manager: not history
    status, output = cli(site, "check", "--as-of", "2026-01-10")
    assert status == 0, output
    assert " 错误: " not in output and " 警告: " not in output.replace("P0", "")
    status, output = cli(site, "release", "x", *NEXT)
    assert status == 0, output


def test_who_holds_a_role_today_may_change_freely(site: Site) -> None:
    """A new party secretary, 楼道长 or reception day is current state, as the firm's contacts are."""
    published(site)
    edit(site, "governance.yaml", "      name: 刘某某\n", "      name: 陈某某\n")
    edit(
        site,
        "governance.yaml",
        "    party_member: false\n",
        "    party_member: true\n    holder: {name: 王某某}\n",
    )
    edit(site, "governance.yaml", "隔周周三 9:00-11:00", "每周四 14:00-16:00")
    edit(
        site,
        "governance.yaml",
        "rules: [物业治理联合党支部运行制度, 首问接待制度]",
        "rules: [物业治理联合党支部运行制度]",
    )
    status, output = cli(site, "check", "--as-of", "2026-01-10")
    assert status == 0, output
    assert " 错误: " not in output and " 警告: " not in output.replace("P0", "")
    status, output = cli(site, "release", "x", *NEXT)
    assert status == 0, output


def test_a_new_record_dated_after_its_release_is_refused(site: Site) -> None:
    """A meeting or survey that has not happened yet cannot be published; one recorded late may."""
    published(site)
    late = "  - {id: forum-2025-12, kind: 座谈会, date: 2025-12-20, title: 座谈会, convened_by: 居委会, outcome: 记录}\n"
    ahead = "  - {id: forum-2026-02, kind: 座谈会, date: 2026-02-01, title: 座谈会, convened_by: 居委会, outcome: 记录}\n"
    (site.estate / "meetings.yaml").write_text(
        (site.estate / "meetings.yaml").read_text(encoding="utf-8") + late + ahead,
        encoding="utf-8",
    )
    (finding,) = findings(site, "D005", "--as-of", "2026-01-10")
    assert "会议 forum-2026-02的日期 2026-02-01 晚于这一期的发布日 2026-01-10" in finding
    assert "forum-2026-02" in line_at(site, finding)
    assert findings(site, "H009", "--as-of", "2026-01-10") == []  # recorded late is honest


def test_a_correction_puts_a_change_right_in_the_open(site: Site) -> None:
    tally_rewritten(site)
    place = "votes.votes.vote-2025-fee.approving.area"
    (finding,) = findings(site, "H008")
    assert f"path: {place}，old: 12100.00，new: 12010.00" in finding  # what to write, spelt out
    site.write("notices/2025-12-20-correction.md", CORRECTION_NOTICE)
    correction = f"corrections:\n  - id: fix-1\n    date: 2025-12-20\n    path: {place}\n    old: 12100.00\n    new: {{new}}\n    reason: 统计表抄录错误，以表决票统计为准\n    notice: 2025-12-20-correction\n"
    site.write("corrections.yaml", correction.format(new="12000.00"))  # not what changed
    assert len(findings(site, "H008")) == 1
    site.write("corrections.yaml", correction.format(new="12010.00"))
    assert findings(site, "H008") == []
    status, output = cli(site, "release", "x", *NEXT)
    assert status == 0, output
    (step,) = estate_steps(load_site(site.root).estates[0])
    assert step.findings == []
    [(change, fix)] = step.corrected
    assert (change.old, change.new, fix.reason) == (
        change.old,
        change.new,
        "统计表抄录错误，以表决票统计为准",
    )
    assert str(change.old) == "12100.00" and str(change.new) == "12010.00"


def test_a_published_correction_cannot_itself_be_rewritten(site: Site) -> None:
    tally_rewritten(site)
    corrected(site, "抄录错误")
    assert cli(site, "release", "x", *NEXT)[0] == 0
    edit(site, "corrections.yaml", "reason: 抄录错误", "reason: 其他原因")
    (finding,) = findings(site, "H008")
    assert "corrections.corrections.fix-1.reason" in finding


def test_a_rewrite_between_two_releases_is_reported_at_the_newer_snapshot(site: Site) -> None:
    """A snapshot written by hand, hash and all, does not hide what it rewrote."""
    published(site)
    path = site.estate / "releases" / "2025-h1.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["release"]["id"] = "2025-h2"
    document["release"]["date"] = "2026-01-10"
    document["data"]["accounts"]["maintenance_fund"]["2025-h1"]["income"][0]["amount"] = "4000.00"
    document["sha256"] = document_hash(document)
    (site.estate / "releases" / "2025-h2.json").write_text(
        json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8"
    )
    (step, _working) = estate_steps(load_site(site.root).estates[0], with_working_copy=True)
    assert [c.path[-1] for c in step.changes] == ["amount"]
    assert [f.code for f in step.findings] == ["H001"]
    assert step.findings[0].location.file == "content/x/releases/2025-h2.json"


def test_h003_fee_raised_on_an_old_basis(site: Site) -> None:
    published(site)
    edit(
        site,
        "fees.yaml",
        "        amount: 150.00\n",
        "        to: 2025-12-31\n        amount: 150.00\n",
    )
    old = "        basis: {kind: 业主大会决议, ref: 2019 年业主大会决议}\n"
    rise = "      - from: 2026-01-01\n        amount: 200.00\n        regime: 市场调节价\n        basis: {kind: 业主大会决议, ref: 2019 年业主大会决议}\n        posted: 2025-11-20\n"
    edit(site, "fees.yaml", old, old + rise)
    (finding,) = findings(site, "H003")
    assert "parking-ground" in finding and "由 150.00 上调为 200.00" in finding
    assert "basis:" in line_at(site, finding)


def test_h005_fund_spending_without_a_vote(site: Site) -> None:
    published(site)
    site.write(
        "accounts/maintenance-fund/2025-h2.yaml",
        NEXT_FUND.format(spending=LIFT.replace(", vote: vote-2025-roof", ""), closing="218300.00"),
    )
    (finding,) = findings(site, "H005")
    assert "mf-2025-004" in finding and "没有写业主表决编号" in finding
    assert "mf-2025-004" in line_at(site, finding)
    assert_refused(site, "H005")


def test_h005_in_a_first_release(site: Site) -> None:
    edit(
        site, FUND, "    vote: vote-2025-roof            #", "    # vote: vote-2025-roof          #"
    )
    (finding,) = findings(site, "H005")
    assert finding.startswith("content/x/accounts/maintenance-fund/2025-h1.yaml:")
    status, output = cli(site, "release", "x", *FIRST)
    assert status == 1 and " H005 错误: " in output
    assert not (site.estate / "releases").exists()


def test_h006_collection_rate_falls(site: Site) -> None:
    published(site)
    statement = (site.estate / "accounts/property-fees/2024.yaml").read_text(encoding="utf-8")
    later = (
        statement.replace("2024-01-01, to: 2024-12-31", "2025-01-01, to: 2025-12-31")
        .replace("received: 201756.00", "received: 175440.00")
        .replace("surplus: 3356.00", "surplus: -22960.00")
    )
    site.write("accounts/property-fees/2025.yaml", later)
    (finding,) = findings(site, "H006")
    assert "92.00% 降到 80.00%" in finding
    assert "received: 175440.00" in line_at(site, finding)


def test_h007_fund_balance_falls_sharply(site: Site) -> None:
    published(site)
    site.write(
        "accounts/maintenance-fund/2025-h2.yaml",
        NEXT_FUND.format(spending=LIFT, closing="218300.00"),
    )
    (finding,) = findings(site, "H007")
    assert "closing: 218300.00" in line_at(site, finding)


def test_h009_a_fee_change_dated_as_posted_before_the_release_that_did_not_show_it(
    site: Site,
) -> None:
    published(site)
    edit(
        site,
        "fees.yaml",
        "        amount: 150.00\n",
        "        to: 2025-12-31\n        amount: 150.00\n",
    )
    old = "        basis: {kind: 业主大会决议, ref: 2019 年业主大会决议}\n"
    rise = "      - from: 2026-01-01\n        amount: 160.00\n        regime: 市场调节价\n        basis: {kind: 业主大会决议, ref: 2025 年第二次业主大会决议}\n        posted: 2025-06-01\n"
    edit(site, "fees.yaml", old, old + rise)
    (finding,) = findings(site, "H009")
    assert "日期是 2025-06-01，早于 2025-07-10 发布的期次 2025-h1" in finding
    assert "posted: 2025-06-01" in line_at(site, finding)


def test_retired_codes_are_never_raised_and_say_where_their_fact_went() -> None:
    for code, instead in (("H002", "A003"), ("V002", "H005")):
        assert instead in CODES[code].title_zh and "停用" in CODES[code].title_zh


def test_every_audit_code_has_a_test() -> None:
    tested = {name.split("_")[1].upper() for name in globals() if name.startswith("test_h0")}
    live = {c for c, code in CODES.items() if c.startswith("H") and "停用" not in code.title_zh}
    assert live - {"H001", "H004", "H008"} <= tested  # the three of TAMPERING, above


def test_the_diff_command_shows_the_rewrite_and_its_finding(site: Site) -> None:
    edit(published(site), FUND, "summary: 2025 年上半年专户利息", "summary: 改过的利息")
    result = CliRunner().invoke(
        main, ["-C", str(site.root), "diff", "x", "2025-h1", "current", "--format", "json"]
    )
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["changes"][0]["path"] == [
        "accounts",
        "maintenance_fund",
        "2025-h1",
        "income",
        "mf-2025-001",
        "summary",
    ]
    assert [f["code"] for f in payload["findings"]] == ["H001"]
    result = CliRunner().invoke(main, ["-C", str(site.root), "diff", "x", "2025-h1", "2099"])
    assert (
        result.exit_code == 2
        and "错误：小区“x”没有期次“2099”；可用的有：2025-h1、current（current 表示正在编辑的工作副本）"
        in result.output
    )


@pytest.mark.parametrize("code", sorted(c for c in CODES if c.startswith("H")))
def test_audit_codes_are_documented(code: str) -> None:
    from .conftest import REPO

    assert f"| {code} |" in (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")


def test_an_opening_that_differs_from_the_published_closing_states_the_difference(
    site: Site,
) -> None:
    published(site)
    site.write(
        "accounts/maintenance-fund/2025-h2.yaml",
        NEXT_FUND.format(spending="  []", closing="928300.00")
        .replace("opening: 913900.00", "opening: 923900.00")
        .replace("expenditure:\n  []", "expenditure: []"),
    )
    (finding,) = findings(site, "A003")
    assert "期初 923900.00 与上一期 2025-h1 的期末 913900.00 不符，相差 10000.00" in finding
    assert "opening: 923900.00" in line_at(site, finding)
    assert_refused(site, "A003")


# What a dishonest firm tried next, each closed by a rule of its own.


def test_every_line_a_release_showed_is_published_whatever_its_date(site: Site) -> None:
    """A statement released while its period runs: its lines are published; what comes later is free."""
    published(site)
    fund = "accounts/maintenance-fund/2025-h2.yaml"
    running = NEXT_FUND.format(spending="  []", closing="918300.00")
    site.write(fund, running.replace("expenditure:\n  []", "expenditure: []"))
    mid = ["--id", "2025-q4", "--date", "2025-12-25", "--posting-from", "2025-12-25"]
    assert cli(site, "release", "x", *mid, "--posting-to", "2026-01-10")[0] == 0
    edit(site, fund, "amount: 4400.00", "amount: 4300.00")
    edit(site, fund, "closing: 918300.00", "closing: 918200.00")
    (finding,) = findings(site, "H001")  # the line; not the closing of a period still running
    assert "mf-2025-003.amount" in finding
    edit(site, fund, "amount: 4300.00", "amount: 4400.00")
    edit(site, fund, "closing: 918200.00", "closing: 918500.00")
    later = (
        "  - {id: mf-2025-005, date: 2025-12-30, category: 利息, amount: 200.00, summary: 补息}\n"
    )
    edit(
        site, fund, "summary: 2025 年下半年专户利息}\n", "summary: 2025 年下半年专户利息}\n" + later
    )
    assert findings(site, "H001", "--as-of", "2026-01-02") == []  # a line after the release: free


def test_a_line_dated_after_its_release_is_refused(site: Site) -> None:
    published(site)
    late = NEXT_FUND.format(spending="  []", closing="918300.00").replace(
        "expenditure:\n  []", "expenditure: []"
    )
    site.write("accounts/maintenance-fund/2025-h2.yaml", late)
    status, output = cli(
        site,
        "release",
        "x",
        "--id",
        "2025-q3",
        "--date",
        "2025-10-01",
        "--posting-from",
        "2025-10-01",
        "--posting-to",
        "2025-10-20",
    )
    assert (
        status == 1
        and " D005 错误: " in output
        and "2025-12-21 晚于这一期的发布日 2025-10-01" in output
    )


def test_h011_only_a_releases_own_corrections_put_it_right(site: Site) -> None:
    """A rewrite between two releases is not excused by a correction written after both."""
    published(site)
    path = site.estate / "releases" / "2025-h1.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["release"].update(id="2025-h2", date="2026-01-10")
    document["data"]["votes"]["votes"][1]["approving"]["area"] = "13000.00"
    document["sha256"] = document_hash(document)
    (site.estate / "releases" / "2025-h2.json").write_text(
        json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8"
    )
    edit(
        site,
        "votes.yaml",
        "approving: {area: 12100.00, headcount: 182}",
        "approving: {area: 13000.00, headcount: 182}",
    )
    site.write(
        "notices/2026-02-01-correction.md",
        CORRECTION_NOTICE.replace("2025-12-20", "2026-02-01").replace("2026-01-05", "2026-02-15"),
    )
    site.write(
        "corrections.yaml",
        "corrections:\n  - {id: fix-1, date: 2026-02-01, path: votes.votes.vote-2025-fee.approving.area, old: 12100.00, new: 13000.00, reason: 抄错, notice: 2026-02-01-correction}\n",
    )
    _code, output = cli(site, "check")
    assert "content/x/releases/2025-h2.json:" in output and " H008 错误: " in output
    assert " H011 警告: " in output  # the correction states no change of the working copy's step


def test_corrections_are_announced_by_a_correction_notice_after_the_fact(site: Site) -> None:
    tally_rewritten(site)
    record = "corrections:\n  - {{id: fix-1, date: {date}, path: votes.votes.vote-2025-fee.approving.area, old: 12100.00, new: 12010.00, reason: 抄录错误, notice: {notice}}}\n"
    site.write("corrections.yaml", record.format(date="2025-12-20", notice="no-such-notice"))
    assert "更正 fix-1 写的公告 no-such-notice 不存在" in "".join(findings(site, "I003"))
    site.write(
        "notices/2025-05-30-routine.md",
        CORRECTION_NOTICE.replace("category: 更正", "category: 日常通知"),
    )
    site.write("corrections.yaml", record.format(date="2025-12-20", notice="2025-05-30-routine"))
    assert findings(site, "N003")
    site.write("notices/2025-12-20-correction.md", CORRECTION_NOTICE)
    site.write("corrections.yaml", record.format(date="2025-01-01", notice="2025-12-20-correction"))
    (early,) = findings(site, "N003")
    assert "更正 fix-1 的日期 2025-01-01 早于被更正内容发布的日期" in early
    site.write("corrections.yaml", record.format(date="2025-12-20", notice="2025-12-20-correction"))
    assert cli(site, "check")[0] == 0


def test_the_committee_of_a_release_cannot_be_written_out_of_it(site: Site) -> None:
    published(site)
    edit(
        site,
        "estate.yaml",
        "term: {from: 2024-01-01, to: 2028-12-31}",
        "term: {from: 2024-01-02, to: 2029-12-31}",
    )
    moved = findings(site, "H008")
    assert moved and all("estate.committee.term" in f for f in moved)
    text = (site.estate / "estate.yaml").read_text(encoding="utf-8")
    start, end = text.index("committee:"), text.index("maintenance_fund:")
    site.write("estate.yaml", text[:start] + text[end:])
    assert any("estate.committee" in f and "被删除了" in f for f in findings(site, "H008"))


def test_the_fund_and_households_are_published_facts(site: Site) -> None:
    published(site)
    text = (site.estate / "estate.yaml").read_text(encoding="utf-8")
    start, end = text.index("maintenance_fund:"), text.index("earlier_disclosures:")
    site.write("estate.yaml", text[:start] + text[end:])
    assert any("estate.maintenance_fund" in f for f in findings(site, "H008"))
    site.write(
        "estate.yaml",
        text.replace(
            "    households: 160\n    floor_area: 10800.00",
            "    households: 190\n    floor_area: 10800.00",
        ),
    )
    assert any("estate.buildings.b2.households" in f for f in findings(site, "H008"))


def test_a_fee_raised_in_place_is_told_the_way_a_fee_is_raised(site: Site) -> None:
    published(site)
    edit(site, "fees.yaml", "amount: 150.00", "amount: 180.00")
    (finding,) = findings(site, "H008")
    assert "现由 150.00 改为 180.00" in finding
    assert "如是调价：请把这里改回 150.00，给这一期写上 to（新价格开始的前一天）" in finding
    assert "在 periods 末尾新增一期写新价格和 from，并发布收费调整公告" in finding
    assert "corrections.yaml" in finding  # a price published wrong is still a correction


def test_a_votes_kind_and_a_contracts_headline_stay_as_published(site: Site) -> None:
    published(site)
    edit(
        site, "contracts.yaml", "      value: 219300.00", "      value: 241650.00"
    )  # as its amendment says
    (headline,) = findings(site, "H004")
    assert "请把这里改回 219300.00" in headline


def test_a_new_vote_or_amendment_backdated_before_the_release_is_flagged(site: Site) -> None:
    published(site)
    text = (site.estate / "votes.yaml").read_text(encoding="utf-8")
    old_vote = text[text.index("  - id: vote-2025-fee") : text.index("  - id: vote-2025-roof")]
    site.write(
        "votes.yaml",
        text
        + old_vote.replace("vote-2025-fee", "vote-2020-parking").replace(
            "date: 2025-05-20", "date: 2020-11-30"
        ),
    )
    (flagged,) = findings(site, "H009")
    assert "业主表决 vote-2020-parking" in flagged and "2020-11-30" in flagged


def test_h010_an_announced_fee_change_may_move_before_it_takes_effect_flagged(site: Site) -> None:
    """A rise announced in one release and postponed before it takes effect is a warning, not a rewrite."""
    edit(
        site,
        "fees.yaml",
        "        amount: 150.00\n",
        "        to: 2025-12-31\n        amount: 150.00\n",
    )
    old = "        basis: {kind: 业主大会决议, ref: 2019 年业主大会决议}\n"
    rise = "      - from: 2026-01-01\n        amount: 160.00\n        regime: 市场调节价\n        basis: {kind: 业主大会决议, ref: 2025 年第二次业主大会决议}\n        posted: 2025-06-20\n"
    edit(site, "fees.yaml", old, old + rise)
    published(site)
    edit(site, "fees.yaml", "        amount: 160.00\n", "        amount: 155.00\n")
    (flagged,) = findings(site, "H010", "--as-of", "2025-09-01")
    assert "预告调价" in flagged
    assert findings(site, "H008", "--as-of", "2025-09-01") == []
    assert findings(site, "H008")  # once in force, a change is a rewrite


def test_pass_through_prices_changed_in_place_are_flagged(site: Site) -> None:
    edit(published(site), "fees.yaml", "amount: 3.45", "amount: 4.50")
    (flagged,) = findings(site, "H010")
    assert "fees.pass_through.water.amount" in flagged and "没有执行期间" in flagged


def test_an_attachment_replaced_after_its_release_is_caught(site: Site) -> None:
    edit(
        site,
        "contracts.yaml",
        "    # attachment: attachments/service-2024.pdf   # 合同扫描件放在 attachments/ 下",
        "    attachment: attachments/service-2024.pdf",
    )
    (site.estate / "attachments").mkdir(exist_ok=True)
    scan = site.estate / "attachments" / "service-2024.pdf"
    scan.write_bytes(b"%PDF-1.4 the contract as signed\n")
    published(site)
    assert json.loads((site.estate / "releases" / "2025-h1.json").read_text(encoding="utf-8"))[
        "release"
    ]["attachments"] == {
        "attachments/service-2024.pdf": __import__("hashlib").sha256(scan.read_bytes()).hexdigest()
    }
    scan.write_bytes(b"%PDF-1.4 another contract\n")
    (replaced,) = findings(site, "H008")
    assert (
        replaced.startswith("content/x/attachments/service-2024.pdf:1:1:")
        and "内容变了" in replaced
    )


def test_a_missing_release_breaks_the_chain(site: Site) -> None:
    published(site)
    assert cli(site, "release", "x", *NEXT)[0] == 0
    run_git(site.root, "add", ".")
    run_git(site.root, "commit", "-q", "-m", "release 2025-h2")
    later = [
        "--id",
        "2026-h1",
        "--date",
        "2026-07-10",
        "--posting-from",
        "2026-07-10",
        "--posting-to",
        "2026-07-24",
    ]
    assert cli(site, "release", "x", *later)[0] == 0
    (site.estate / "releases" / "2025-h2.json").unlink()
    (broken,) = findings(site, "R005")
    assert broken.startswith("content/x/releases/2026-h1.json:") and "上一期是 2025-h2" in broken


def test_a_release_comes_after_the_last_and_is_posted_from_its_day(site: Site) -> None:
    published(site)
    early = [
        "--id",
        "2025-h0",
        "--date",
        "2025-07-01",
        "--posting-from",
        "2025-07-01",
        "--posting-to",
        "2025-07-20",
    ]
    status, output = cli(site, "release", "x", *early)
    assert status == 2 and "早于上一期 2025-h1 的发布日期 2025-07-10" in output
    before = [
        "--id",
        "2025-h2",
        "--date",
        "2026-01-10",
        "--posting-from",
        "2026-01-04",
        "--posting-to",
        "2026-01-24",
    ]
    status, output = cli(site, "release", "x", *before)
    assert status == 2 and "公示期从 2026-01-04 开始，早于发布日期 2026-01-10" in output


def test_release_says_the_warnings_it_found(site: Site) -> None:
    short = [
        "--id",
        "2025-h1",
        "--date",
        "2025-07-10",
        "--posting-from",
        "2025-07-10",
        "--posting-to",
        "2025-07-12",
    ]
    status, output = cli(site, "release", "x", *short, "--dry-run")
    assert status == 0 and " P003 警告: " in output and "这次没有写入" in output
    assert not (site.estate / "releases").exists()  # a dry run writes nothing
    status, output = cli(site, "release", "x", *short)
    assert status == 0 and " P003 警告: " in output and "已写入" in output
    assert "期次 2025-h1 的公示期是 2025-07-10 至 2025-07-12" in output  # named as released
    assert "current" not in output


def test_warnings_about_history_do_not_fail_strict(site: Site) -> None:
    """A warning located in a published snapshot cannot be put right: reported, it fails nothing."""
    short = [
        "--id",
        "2025-h1",
        "--date",
        "2025-07-10",
        "--posting-from",
        "2025-07-10",
        "--posting-to",
        "2025-07-12",
    ]
    assert cli(site, "release", "x", *short)[0] == 0
    status, output = cli(site, "check", "--strict", "--as-of", "2025-08-01")
    assert " P003 警告: " in output and output.splitlines()[-1] == "没有发现问题" or status == 0, (
        output
    )
    assert status == 0, output


def test_a_correction_is_shown_wherever_residents_look(site: Site) -> None:
    """The changes page, the estate's pages, the sheet and the feed all say 更正, old -> new, and why."""
    from pypdf import PdfReader

    from generator.pipeline import build

    tally_rewritten(site)
    corrected(site, "统计表抄录错误")
    assert cli(site, "release", "x", *NEXT)[0] == 0
    out = build(site.root).out
    said = "由 12,100.00 改为 12,010.00；原因：统计表抄录错误"
    pages = {
        name: (out / "x" / name).read_text(encoding="utf-8")
        for name in ("changes.html", "index.html", "votes.html")
    }
    for name, page in pages.items():
        assert "更正：业主表决" in page and said in page, name
    for other in ("fees.html", "governance.html", "evaluations.html", "history.html"):
        assert "更正：" not in (out / "x" / other).read_text(encoding="utf-8"), other
    sheet = out / "x" / "releases" / "2025-h2" / "sheet.pdf"
    text = "".join(p.extract_text() for p in PdfReader(sheet).pages).replace("\n", "")
    assert "更正：业主表决" in text and "统计表抄录错误" in text and "12,010.00" in text
    feed = (out / "x" / "feed.xml").read_text(encoding="utf-8")
    assert "更正：业主表决" in feed and "统计表抄录错误" in feed


def test_a_line_filled_into_a_published_statement_without_a_date_names_no_date() -> None:
    from generator.audit import _rewrite_message
    from generator.diff import Change
    from generator.model.notices import Release

    release = Release.model_validate(
        {
            "id": "2025-h2",
            "date": "2026-03-16",
            "posting": {"from": "2026-03-16", "to": "2026-03-30"},
            "signers": [{"role": "物业服务企业", "name": "某物业"}],
        }
    )
    path = ("accounts", "maintenance_fund", "2025-h2", "buildings", "b9")
    row = {"building": "b9", "opening": "0.00", "closing": "0.00"}
    said = _rewrite_message(Change("added", path, path, None, row), "H001", release)
    assert "这一条补记进了已在 2026-03-16 发布的期次 2025-h2 中公示的内容" in said
    assert "None" not in said and "日期" not in said.split("。")[0]
    dated = _rewrite_message(Change("added", path, path, None, {**row, "date": "2025-12-01"}), "H001", release)  # fmt: skip
    assert "日期 2025-12-01 不晚于那一期的发布日" in dated
