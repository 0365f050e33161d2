"""Rule profiles at their boundaries: the day before, on and after a deadline; votes either side of 2021."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from generator.errors import Location
from generator.model import EstateData
from generator.pipeline import check, load_site
from generator.profiles import (
    Published,
    RuleProfile,
    available,
    evaluate,
    load_profile,
    valid_between,
    vote_passes,
    vote_rule,
    working_days,
)

from .conftest import REPO, Site

HERE = Location("snapshot.json", 1, 1)
D = dt.date


def data(site: Site) -> EstateData:
    loaded = load_site(site.root).estates[0].data
    assert loaded is not None
    return loaded


def published(
    estate: EstateData,
    day: dt.date,
    posting: tuple[dt.date, dt.date] | None = None,
    rid: str = "r1",
) -> Published:
    return Published(
        estate, rid, day, posting or (day, day + dt.timedelta(days=13)), lambda at: HERE
    )


def codes(profile: str, releases: list[Published], as_of: dt.date) -> list[str]:
    return [d.code for d in evaluate(load_profile(profile), releases, as_of, HERE)]


def test_shipped_profiles_load_and_extend() -> None:
    assert {"national", "shanghai-2020", "beijing-2024"} <= set(available())
    national, shanghai = load_profile("national"), load_profile("shanghai-2020")
    by_id = {r.id: r for r in shanghai.requirements}
    assert by_id["revenue-statement"].frequency == "quarterly"  # replaced by id
    assert by_id["fee-board"] == next(
        r for r in national.requirements if r.id == "fee-board"
    )  # inherited
    assert shanghai.votes == national.votes and all(r.article for r in shanghai.requirements)


@pytest.mark.parametrize(
    ("as_of", "late"), [(D(2025, 10, 29), False), (D(2025, 10, 30), False), (D(2025, 10, 31), True)]
)
def test_quarterly_statement_deadline(site: Site, as_of: dt.date, late: bool) -> None:
    """Shanghai: public revenue each quarter, within 30 days; Q3 2025 is due on 2025-10-30."""
    found = codes("shanghai-2020", [published(data(site), D(2025, 7, 10))], as_of)
    assert ("P002" in found) is late


@pytest.mark.parametrize(
    ("released", "late"), [(D(2025, 7, 29), False), (D(2025, 7, 30), False), (D(2025, 7, 31), True)]
)
def test_statement_published_after_its_deadline(site: Site, released: dt.date, late: bool) -> None:
    """Shanghai: the half-year ending 2025-06-30 is due by 2025-07-30."""
    found = evaluate(
        load_profile("shanghai-2020"), [published(data(site), released)], D(2025, 8, 15), HERE
    )
    messages = [d.message for d in found if d.code == "P002"]
    assert bool(messages) is late
    if late:
        assert "应于 2025-07-30 前公布，2025-07-31 才在期次 r1 中公布" in messages[0]


def without_earlier_disclosures(estate: EstateData) -> EstateData:
    bare = estate.estate.model_copy(update={"earlier_disclosures": []})
    return estate.model_copy(update={"estate": bare})


def test_yearly_statement_under_the_national_baseline(site: Site) -> None:
    """Yearly within 90 days: 2024's statements were due by 2025-03-31."""
    estate = without_earlier_disclosures(data(site))
    assert "P002" not in codes("national", [published(estate, D(2025, 3, 31))], D(2025, 5, 1))
    assert "P002" in codes("national", [published(estate, D(2025, 4, 1))], D(2025, 5, 1))


def test_statements_posted_before_the_estate_used_sunshine_count(site: Site) -> None:
    """The template records 2024's statements as posted on paper on 2025-01-20: its first release is not late."""
    estate = data(site)
    assert [d.posted for d in estate.estate.earlier_disclosures] == [D(2025, 1, 20)] * 2
    assert "P002" not in codes("national", [published(estate, D(2025, 4, 1))], D(2025, 5, 1))
    late = estate.estate.model_copy(
        update={
            "earlier_disclosures": [
                d.model_copy(update={"posted": D(2025, 4, 15)})
                for d in estate.estate.earlier_disclosures
            ]
        }
    )
    found = evaluate(
        load_profile("national"),
        [published(estate.model_copy(update={"estate": late}), D(2025, 4, 20))],
        D(2025, 5, 1),
        HERE,
    )
    assert [d.code for d in found] == ["P002", "P002"]  # posted on paper, but after the deadline
    assert "应于 2025-03-31 前公布，2025-04-15 才公示" in found[0].message


def _vote_counts() -> tuple[tuple[Decimal, int], tuple[Decimal, int], tuple[Decimal, int]]:
    return (Decimal(100), 10), (Decimal(70), 7), (Decimal(40), 4)


@pytest.mark.parametrize(("day", "passes"), [(D(2020, 12, 31), False), (D(2021, 1, 1), True)])
def test_fund_vote_threshold_changes_on_2021_01_01(day: dt.date, passes: bool) -> None:
    """40 % of all owners approve, 70 % take part: short of two-thirds of all (old rule), enough under art. 278."""
    rule = vote_rule(load_profile("national"), "使用维修资金", day)  # type: ignore[arg-type]
    assert rule is not None
    assert vote_passes(rule, *_vote_counts()) is passes


def test_vote_thresholds_are_exact_fractions() -> None:
    rule = vote_rule(load_profile("national"), "使用维修资金", D(2022, 1, 1))  # type: ignore[arg-type]
    assert rule is not None
    exactly_two_thirds = ((Decimal(3), 3), (Decimal(2), 2), (Decimal("1.01"), 2))
    assert vote_passes(rule, *exactly_two_thirds)  # 2 of 3 take part: two-thirds, not less
    half = ((Decimal(3), 3), (Decimal(2), 2), (Decimal(1), 1))
    assert not vote_passes(rule, *half)  # approval must be more than half of those taking part
    raise_fund = vote_rule(load_profile("national"), "筹集维修资金", D(2022, 1, 1))  # type: ignore[arg-type]
    assert raise_fund is not None and raise_fund.approval == "3/4"


@pytest.mark.parametrize(("day", "code"), [(D(2020, 12, 31), ["P005"]), (D(2021, 1, 1), [])])
def test_vote_in_the_data_is_judged_by_its_date(site: Site, day: dt.date, code: list[str]) -> None:
    text = (site.estate / "votes.yaml").read_text(encoding="utf-8")
    text = text.replace("date: 2025-03-10", f"date: {day.isoformat()}")
    text = text.replace(
        "total: {area: 10700.00, headcount: 160}\n    participating: {area: 8200.00, headcount: 122}\n    approving: {area: 7100.00, headcount: 105}",
        "total: {area: 10000.00, headcount: 100}\n    participating: {area: 7000.00, headcount: 70}\n    approving: {area: 4000.00, headcount: 40}",
    )
    site.write("votes.yaml", text)
    assert [
        c
        for c in codes("national", [published(data(site), D(2025, 7, 10))], D(2025, 8, 1))
        if c == "P005"
    ] == code


def test_posting_period_in_calendar_days(site: Site) -> None:
    estate = data(site)
    assert "P003" not in codes(
        "national",
        [published(estate, D(2025, 7, 10), (D(2025, 7, 10), D(2025, 7, 16)))],
        D(2025, 8, 1),
    )
    assert "P003" in codes(
        "national",
        [published(estate, D(2025, 7, 10), (D(2025, 7, 10), D(2025, 7, 15)))],
        D(2025, 8, 1),
    )


def test_posting_period_in_working_days_skips_the_national_day_holiday(site: Site) -> None:
    estate = data(site)
    assert working_days(D(2025, 10, 1), D(2025, 10, 8)) == 0  # 国庆节、中秋节 2025
    assert working_days(D(2025, 9, 29), D(2025, 10, 3)) == 2
    holiday = published(
        estate, D(2025, 9, 29), (D(2025, 9, 29), D(2025, 10, 9))
    )  # 11 days, 3 of them working
    assert "P003" in codes("beijing-2024", [holiday], D(2025, 11, 1))
    assert "P003" not in codes("national", [holiday], D(2025, 11, 1))
    ordinary = published(
        estate, D(2025, 11, 3), (D(2025, 11, 3), D(2025, 11, 7))
    )  # Monday to Friday
    assert "P003" not in codes("beijing-2024", [ordinary], D(2025, 11, 10))


@pytest.mark.parametrize(
    ("posted", "late"),
    [("2025-05-31", False), ("2025-06-01", False), ("2025-06-02", True), (None, True)],
)
def test_fee_rise_needs_a_month_of_notice(site: Site, posted: str | None, late: bool) -> None:
    """The rise from 0.85 to 1.00 takes effect on 2025-07-01: posted by 2025-06-01 at the latest."""
    text = (site.estate / "fees.yaml").read_text(encoding="utf-8")
    replacement = f"        posted: {posted}" if posted else ""
    site.write(
        "fees.yaml",
        text.replace(
            "        posted: 2025-05-25           # 调价公示日期：须在执行前公示", replacement
        ),
    )
    assert (
        "P004" in codes("national", [published(data(site), D(2025, 7, 10))], D(2025, 8, 1))
    ) is late


def test_missing_section_and_top_up(site: Site) -> None:
    (site.estate / "services.yaml").unlink()
    text = (site.estate / "estate.yaml").read_text(encoding="utf-8")
    text = text.replace("initial_deposit: 1075000.00", "initial_deposit: 3100000.00")
    text = text.replace(
        "    fund_initial_deposit: 535000.00   # 首期归集的维修资金（元）\n", ""
    ).replace("    fund_initial_deposit: 540000.00\n", "")
    site.write("estate.yaml", text)
    found = evaluate(
        load_profile("national"), [published(data(site), D(2025, 3, 1))], D(2025, 3, 15), HERE
    )
    assert sorted(d.code for d in found if d.code != "P002") == ["P001", "P006"]
    assert next(d for d in found if d.code == "P001").message.startswith(
        "缺少「服务内容和标准（四保）」：期次 r1中没有"
    )
    assert "低于首期归集额的 30%" in next(d for d in found if d.code == "P006").message


def test_no_release_at_all(site: Site) -> None:
    assert codes("national", [], D(2025, 8, 1)) == ["P001"]


def test_unknown_profile_is_a_site_error(site: Site) -> None:
    (site.root / "site.yaml").write_text(
        (site.root / "site.yaml").read_text(encoding="utf-8") + "rule_profile: atlantis\n",
        encoding="utf-8",
    )
    assert [(d.code, d.location.file) for d in check(site.root)] == [("K001", "site.yaml")]


def test_check_as_of_through_the_cli(site: Site) -> None:
    from click.testing import CliRunner

    from generator.cli import main
    from generator.pipeline import release

    release(site.root, "x", D(2025, 7, 10), "2025-h1", (D(2025, 7, 10), D(2025, 7, 24)))
    (site.root / "site.yaml").write_text(
        (site.root / "site.yaml").read_text(encoding="utf-8") + "rule_profile: shanghai-2020\n",
        encoding="utf-8",
    )
    on_time = CliRunner().invoke(main, ["-C", str(site.root), "check", "--as-of", "2025-10-30"])
    assert on_time.exit_code == 0 and "P002" not in on_time.output
    late = CliRunner().invoke(
        main, ["-C", str(site.root), "check", "--as-of", "2025-10-31", "--strict"]
    )
    assert late.exit_code == 1
    assert (
        "content/x/accounts/public-revenue/:1:1: P002 错误: 「公共收益收支情况（按季度）」截至 2025-09-30 的一期应于 2025-10-30 前公布，至今仍未公布"
        in late.output
    )
    site.write(
        "accounts/public-revenue/2025-q3.yaml",
        "period: {from: 2025-07-01, to: 2025-09-30}\nopening: 18600.00\nclosing: 18600.00\n",
    )
    in_working_copy = CliRunner().invoke(
        main, ["-C", str(site.root), "check", "--as-of", "2025-10-31"]
    )
    assert "在工作副本中，还没有发布，请尽快发布" in in_working_copy.output


def test_street_overview_from_the_demo_shows_the_late_estate(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": str(int(dt.datetime(2026, 11, 24, tzinfo=dt.UTC).timestamp())),
    }
    out = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "generator", "-C", str(REPO), "build", "--out", str(out)],
        check=True,
        env=env,
        capture_output=True,
    )
    page = "".join(p.read_text(encoding="utf-8") for p in (out / "overview").glob("*.html"))
    assert "统计日期 2026-11-24" in page
    assert (
        "公共收益收支情况（按季度）：截至 2026-09-30 的一期应于 2026-10-30 前公布，至今仍未公布"
        in page
    )
    assert page.count('class="late"') == 1  # the other estates are on time
    assert 'href="street.html"' in (out / "index.html").read_text(encoding="utf-8")
    streets = (out / "street.html").read_text(encoding="utf-8")  # a row a street, linked
    assert streets.count('class="late"') == 1
    assert 'href="overview/上海市浦东新区周家渡街道.html"' in streets
    from pypdf import PdfReader

    street = out / "overview" / "上海市浦东新区周家渡街道.pdf"  # a PDF per street office
    text = "".join(p.extract_text() for p in PdfReader(street).pages)
    assert "共 1 个小区，其中 1 个有逾期或缺失" in text and "云莲新村" in text
    own = (out / "overview" / "上海市浦东新区周家渡街道.html").read_text(encoding="utf-8")
    assert 'href="上海市浦东新区周家渡街道.pdf"' in own  # beside it in overview/


# The law, written out independently of the profile file: for each matter, before 2021 (物权法 art. 76,
# 物业管理条例 art. 12: shares of all owners) and from 2021 (民法典 art. 278: two-thirds take part,
# then shares of those taking part). (share, strictly more than it?)
TWO_THIRDS, HALF, THREE_QUARTERS = (
    (Decimal(2) / 3, False),
    (Decimal(1) / 2, True),
    (Decimal(3) / 4, False),
)
LAW = {
    "制定修改议事规则": (HALF, HALF),
    "制定修改管理规约": (HALF, HALF),
    "选举更换业委会": (HALF, HALF),
    "选聘解聘物业": (HALF, HALF),
    "使用维修资金": (TWO_THIRDS, HALF),
    "筹集维修资金": (TWO_THIRDS, THREE_QUARTERS),
    "改建重建": (TWO_THIRDS, THREE_QUARTERS),
    "改变共有部分用途": (HALF, THREE_QUARTERS),
    "调整收费标准": (HALF, HALF),
    "其他": (HALF, HALF),
}
ELECTORATE = (Decimal("12000.00"), 120)  # a building-scoped vote: one building's 120 owners


def _least(whole: Decimal | int, share: tuple[Decimal, bool], cent: Decimal | int) -> Decimal | int:
    """The smallest tally meeting a share of ``whole``, counted in steps of ``cent``."""
    need, strictly = share
    tally = whole * need
    steps = -(-tally // cent) * cent  # rounded up to a whole step
    if strictly and steps == tally:
        steps += cent
    return steps if isinstance(whole, Decimal) else int(steps)


def _tallies(kind: str, day: dt.date, short: str) -> tuple[tuple[Decimal, int], ...]:
    """Tallies exactly at the threshold for a matter on a day; ``short`` takes one step off a measure."""
    before, after = LAW[kind]
    area, heads = ELECTORATE
    if day < D(2021, 1, 1):
        taking = (area, heads)
        yes = (_least(area, before, Decimal("0.01")), _least(heads, before, 1))
    else:
        taking = (_least(area, TWO_THIRDS, Decimal("0.01")), _least(heads, TWO_THIRDS, 1))
        yes = (_least(taking[0], after, Decimal("0.01")), _least(taking[1], after, 1))
    if short == "participating area":
        taking = (taking[0] - Decimal("0.01"), taking[1])
    if short == "participating headcount":
        taking = (taking[0], taking[1] - 1)
    if short == "approving area":
        yes = (yes[0] - Decimal("0.01"), yes[1])
    if short == "approving headcount":
        yes = (yes[0], yes[1] - 1)
    yes = (min(yes[0], taking[0]), min(yes[1], taking[1]))
    return ELECTORATE, taking, yes


@pytest.mark.parametrize("day", [D(2020, 12, 31), D(2021, 1, 1)])
@pytest.mark.parametrize("kind", sorted(LAW))
def test_every_matter_of_article_278_meets_its_threshold_exactly(kind: str, day: dt.date) -> None:
    rule = vote_rule(load_profile("national"), kind, day)  # type: ignore[arg-type]
    assert rule is not None, kind
    assert vote_passes(rule, *_tallies(kind, day, ""))
    shorts = ["approving area", "approving headcount"]
    shorts += ["participating area", "participating headcount"] if day.year >= 2021 else []
    for short in shorts:
        assert not vote_passes(rule, *_tallies(kind, day, short)), (kind, day, short)


FUND_VOTE = """\
votes:
  - id: vote-2025-roof
    date: {day}
    matter: 使用 1 号楼维修资金修缮屋面
    kind: 使用维修资金
    buildings: [b1]
    total: {{area: 10700.00, headcount: 160}}
    participating: {{area: {taking_area}, headcount: {taking}}}
    approving: {{area: {yes_area}, headcount: {yes}}}
"""


@pytest.mark.parametrize(
    ("day", "taking", "yes", "passes"),
    [
        (D(2020, 12, 31), (Decimal("10700.00"), 160), (Decimal("7133.34"), 107), True),
        (D(2020, 12, 31), (Decimal("10700.00"), 160), (Decimal("7133.33"), 107), False),
        (D(2021, 1, 1), (Decimal("7133.34"), 107), (Decimal("3566.68"), 54), True),
        (D(2021, 1, 1), (Decimal("7133.34"), 106), (Decimal("3566.68"), 54), False),
        (D(2021, 1, 1), (Decimal("7133.34"), 107), (Decimal("3566.67"), 54), False),
    ],
)
def test_a_building_scoped_fund_vote_is_judged_on_its_own_owners(
    site: Site, day: dt.date, taking: tuple[Decimal, int], yes: tuple[Decimal, int], passes: bool
) -> None:
    """Building 1's owners decide on building 1's fund: 10,700 ㎡ and 160 owners, not the estate's."""
    site.write(
        "votes.yaml",
        FUND_VOTE.format(
            day=day, taking_area=taking[0], taking=taking[1], yes_area=yes[0], yes=yes[1]
        ),
    )
    text = (
        (site.estate / "fees.yaml")
        .read_text(encoding="utf-8")
        .replace("          vote: vote-2025-fee        # 对应 votes.yaml 里的表决编号\n", "")
    )
    site.write("fees.yaml", text)
    text = (
        (site.estate / "contracts.yaml")
        .read_text(encoding="utf-8")
        .replace("    vote: vote-2023-renew           # 续聘所依据的业主表决\n", "")
    )
    site.write("contracts.yaml", text)
    found = [d for d in check(site.root, D(2025, 8, 1)) if d.code == "P005"]
    assert (found == []) is passes, [d.format() for d in found]
    if not passes:
        assert found[0].location.file == "content/x/accounts/maintenance-fund/2025-h1.yaml"
        assert "支出 mf-2025-002" in found[0].message and "没有通过" in found[0].message


def spans_of_a_year(
    rules: RuleProfile, releases: list[Published]
) -> dict[tuple[dt.date, dt.date], list[str]]:
    """Each span valid_between gives over a year, day by day, each day's findings the span's."""
    seen: dict[tuple[dt.date, dt.date], list[str]] = {}
    day = D(2025, 7, 1)
    while day < D(2026, 7, 1):
        since, until = valid_between(rules, releases, day)
        assert since <= day < until
        found = [d.format() for d in evaluate(rules, releases, day, HERE)]
        assert seen.setdefault((since, until), found) == found, (day, since, until)
        day += dt.timedelta(days=1)
    return seen


def test_findings_hold_between_the_days_a_profile_turns_on(site: Site) -> None:
    """Every day of a year: the findings are those of any other day of the same span."""
    estate = without_earlier_disclosures(data(site))
    releases = [published(estate, D(2025, 7, 10)), published(estate, D(2026, 1, 20), rid="r2")]
    rules = load_profile("shanghai-2020")  # quarterly and half-yearly, over the national yearly
    assert len(spans_of_a_year(rules, releases)) > 4  # real spans: deadlines fall in the year


def test_a_fee_rise_is_judged_in_the_release_that_first_showed_it(site: Site) -> None:
    """A later edit of the posted day does not take back the finding of the release that showed it."""
    estate = data(site)
    late = estate.model_copy(deep=True)
    fees = late.fees
    assert fees is not None
    rise = fees.standards[0].periods[1]
    hurried = rise.model_copy(update={"posted": D(2025, 6, 20)})  # ten days before the rise
    fixed = rise.model_copy(update={"posted": D(2025, 5, 25)})

    def with_rise(period: object) -> EstateData:
        standard = fees.standards[0].model_copy(
            update={"periods": [fees.standards[0].periods[0], period]}
        )
        return late.model_copy(
            update={"fees": fees.model_copy(update={"standards": [standard, *fees.standards[1:]]})}
        )

    releases = [
        published(with_rise(hurried), D(2025, 6, 21)),
        published(with_rise(fixed), D(2025, 7, 10), rid="r2"),
    ]
    found = [
        d
        for d in evaluate(load_profile("national"), releases, D(2025, 8, 1), HERE)
        if d.code == "P004"
    ]
    assert len(found) == 1 and "2025-06-20 才公示" in found[0].message


def test_a_fee_continued_under_another_id_is_the_same_fee(site: Site) -> None:
    """A rise cannot hide as a new fee standard for the same item and property."""
    text = (site.estate / "fees.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "        amount: 150.00\n", "        to: 2025-08-31\n        amount: 150.00\n"
    )
    text = text.replace(
        "pass_through:",
        "  - id: parking-ground-2025\n    item: 停车费\n    payer: 车位使用人\n    applies_to: 地面车位\n    unit: 元/个·月\n    calculation: 按月收取\n    periods:\n      - from: 2025-09-01\n        amount: 200.00\n        regime: 市场调节价\n        basis: {kind: 业主大会决议, ref: 2025 年第二次业主大会决议}\n\npass_through:",
    )
    site.write("fees.yaml", text)
    found = [d for d in check(site.root, D(2025, 8, 1)) if d.code == "P004"]
    assert len(found) == 1 and "由 150.00 上调为 200.00" in found[0].message


def test_an_earlier_disclosure_after_the_first_release_is_refused(site: Site) -> None:
    from generator.pipeline import release

    release(site.root, "x", D(2025, 7, 10), "2025-h1", (D(2025, 7, 10), D(2025, 7, 24)))
    text = (site.estate / "estate.yaml").read_text(encoding="utf-8")
    site.write(
        "estate.yaml",
        text.replace(
            "earlier_disclosures:           # 开始用本系统之前已在公示栏公示过的报表：写上后，首期不会被判为逾期\n",
            "earlier_disclosures:           # 开始用本系统之前已在公示栏公示过的报表：写上后，首期不会被判为逾期\n  - {account: 公共收益, period: {from: 2025-07-01, to: 2025-09-30}, posted: 2025-10-20, where: 公示栏}\n",
        ),
    )
    found = [d for d in check(site.root, D(2025, 11, 15)) if d.code == "P007"]
    assert len(found) == 1 and "2025-07-10 已经用本系统发布了第一期" in found[0].message


def test_a_local_profile_may_ask_more_than_the_law_never_less(site: Site) -> None:
    profiles = site.root / "profiles"
    profiles.mkdir()
    lax = "id: lax\nname: 宽松\nextends: shanghai-2020\nvotes:\n  - since: 2021-01-01\n    basis: participating\n    participation: 1/2\n    approval: 1/2\n    more_than: true\n    kinds: [制定修改议事规则, 制定修改管理规约, 选举更换业委会, 选聘解聘物业, 使用维修资金, 筹集维修资金, 改建重建, 改变共有部分用途, 调整收费标准, 其他]\n    article: 本地\n"
    (profiles / "lax.yaml").write_text(lax, encoding="utf-8")
    strict = (
        lax.replace("id: lax", "id: strict")
        .replace("participation: 1/2", "participation: 4/5")
        .replace("approval: 1/2", "approval: 4/5")
        .replace("more_than: true", "more_than: false")
    )
    (profiles / "strict.yaml").write_text(
        strict.replace(
            "  - since: 2021-01-01",
            "  - until: 2020-12-31\n    basis: all_owners\n    approval: 4/5\n    kinds: [制定修改议事规则, 制定修改管理规约, 选举更换业委会, 选聘解聘物业, 使用维修资金, 筹集维修资金, 改建重建, 改变共有部分用途, 调整收费标准, 其他]\n    article: 本地\n  - since: 2021-01-01",
        ),
        encoding="utf-8",
    )
    estate = (site.estate / "estate.yaml").read_text(encoding="utf-8")
    site.write("estate.yaml", estate.replace("complaints:", "rule_profile: lax\n\ncomplaints:", 1))
    (refused,) = [d for d in check(site.root, D(2025, 8, 1)) if d.code == "K001"]
    assert "规则配置 lax" in refused.message and "低于法律规定" in refused.message
    site.write(
        "estate.yaml", estate.replace("complaints:", "rule_profile: strict\n\ncomplaints:", 1)
    )
    assert [d for d in check(site.root, D(2025, 8, 1)) if d.code == "K001"] == []


# a county's rules, as a site would add them beside site.yaml (profiles/<id>.yaml)
COUNTY = """\
id: county-2024
name: 某县物业服务评价实施办法（2024）
extends: national
requirements:
  - id: owners-survey
    section: surveys
    title: 业主满意度调查（每年）
    frequency: yearly
    due_days: 60
    article: 《某县物业服务评价实施办法》第八条：每年组织一次业主满意度调查，结果向业主公布
  - id: complaint-statement
    section: complaint_handling
    title: 投诉处理情况（按季度）
    frequency: quarterly
    due_days: 30
    article: 《某县物业服务评价实施办法》第十一条：投诉受理和办结情况按季度公布
  - id: fee-talks
    section: fee_meetings
    title: 物业费议价会议（每年）
    frequency: yearly
    due_days: 0
    article: 《某县物业服务评价实施办法》第十四条：每年召开一次议价会议，质价相符、先质后价
  - id: party
    section: governance
    title: 党组织和业委会情况
    frequency: continuous
    article: 《某县物业服务评价实施办法》第五条
"""


def county(site: Site) -> None:
    """The site's own profile, chosen in site.yaml."""
    (site.root / "profiles").mkdir()
    (site.root / "profiles" / "county-2024.yaml").write_text(COUNTY, encoding="utf-8")
    with (site.root / "site.yaml").open("a", encoding="utf-8") as f:
        f.write("rule_profile: county-2024\n")


def held_in_2024(site: Site) -> None:
    """The template's survey, a year earlier: none in 2025."""
    text = (site.estate / "evaluations.yaml").read_text(encoding="utf-8")
    old = "period: {from: 2025-03-01, to: 2025-03-31}"
    site.write("evaluations.yaml", text.replace(old, "period: {from: 2024-03-01, to: 2024-03-31}"))


def without_surveys(estate: EstateData) -> EstateData:
    assert estate.evaluations is not None
    bare = estate.evaluations.model_copy(update={"surveys": []})
    return estate.model_copy(update={"evaluations": bare})


def test_a_profile_requiring_a_yearly_survey_flags_an_estate_without_one(site: Site) -> None:
    county(site)
    rules = load_profile("county-2024", site.root)
    with_survey = data(site)  # its 2025 survey was held in March
    found = evaluate(rules, [published(with_survey, D(2025, 7, 10))], D(2026, 3, 2), HERE)
    assert not [d for d in found if "满意度调查" in d.message]
    bare = without_surveys(with_survey)
    found = evaluate(rules, [published(bare, D(2025, 7, 10))], D(2026, 3, 2), HERE)
    (late,) = [d for d in found if "满意度调查" in d.message]
    assert late.code == "P002"
    assert late.message == (
        "「业主满意度调查（每年）」截至 2025-12-31 的一期应于 2026-03-01 前公布，至今仍未公布"
        "（《某县物业服务评价实施办法》第八条：每年组织一次业主满意度调查，结果向业主公布）"
    )
    on_the_day = evaluate(rules, [published(bare, D(2025, 7, 10))], D(2026, 3, 1), HERE)
    due = [d for d in on_the_day if "满意度调查" in d.message and "2025-12-31" in d.message]
    assert due == []  # due that very day: not late yet


def test_the_survey_missing_is_placed_where_it_belongs(site: Site) -> None:
    from generator.pipeline import release

    county(site)
    held_in_2024(site)
    release(site.root, "x", D(2025, 7, 10), "2025-h1", (D(2025, 7, 10), D(2025, 7, 24)))
    found = [d for d in check(site.root, D(2026, 3, 2)) if "满意度调查" in d.message]
    assert [d.format() for d in found] == [
        "content/x/evaluations.yaml:7:3: P002 警告: 「业主满意度调查（每年）」截至 2025-12-31 的一期应于 2026-03-01 前公布，至今仍未公布（《某县物业服务评价实施办法》第八条：每年组织一次业主满意度调查，结果向业主公布）"
    ]


def test_complaint_statements_and_fee_meetings_fall_due_like_the_accounts(site: Site) -> None:
    county(site)
    rules = load_profile("county-2024", site.root)
    estate = data(site)  # complaints to 2025-06-30; a fee meeting on 2025-04-15
    releases = [published(estate, D(2025, 7, 10))]
    by_title = {
        d.message.split("」")[0]: d for d in evaluate(rules, releases, D(2025, 10, 31), HERE)
    }
    assert (
        "截至 2025-09-30 的一期应于 2025-10-30 前公布"
        in by_title["「投诉处理情况（按季度）"].message
    )
    held = {d.message.split("」")[0] for d in evaluate(rules, releases, D(2026, 1, 1), HERE)}
    assert "「物业费议价会议（每年）" not in held  # 2025's was held in April and published in July
    next_year = {d.message.split("」")[0] for d in evaluate(rules, releases, D(2027, 1, 1), HERE)}
    assert "「物业费议价会议（每年）" in next_year  # none held in 2026
    missing = estate.model_copy(update={"governance": None})
    found = evaluate(rules, [published(missing, D(2025, 7, 10))], D(2025, 8, 1), HERE)
    assert any(d.code == "P001" and "党组织和业委会情况" in d.message for d in found)


def test_findings_on_the_new_sections_hold_between_the_days_a_profile_turns_on(site: Site) -> None:
    county(site)
    rules = load_profile("county-2024", site.root)
    estate = without_surveys(without_earlier_disclosures(data(site)))
    releases = [published(estate, D(2025, 7, 10)), published(estate, D(2026, 1, 20), rid="r2")]
    assert len(spans_of_a_year(rules, releases)) > 4


def test_the_street_overview_counts_a_missing_survey(site: Site, tmp_path: Path) -> None:
    from generator.pipeline import build as build_site
    from generator.pipeline import release

    county(site)
    held_in_2024(site)
    release(site.root, "x", D(2025, 7, 10), "2025-h1", (D(2025, 7, 10), D(2025, 7, 24)))
    out = tmp_path / "out"
    build_site(site.root, out, None, D(2026, 3, 2), with_pdf=False)
    page = "".join(p.read_text(encoding="utf-8") for p in (out / "overview").glob("*.html"))
    assert (
        "业主满意度调查（每年）：截至 2025-12-31 的一期应于 2026-03-01 前公布，至今仍未公布" in page
    )
    assert page.count('class="late"') == 1


def test_a_period_before_the_estates_first_statement_here_is_said_so(site: Site) -> None:
    """The template's first fund statement is 2025-h1: 2024's, due by 2025-03-31, is in no
    statement here, so the finding says that, and names earlier_disclosures."""
    estate = without_earlier_disclosures(data(site))
    found = evaluate(
        load_profile("national"), [published(estate, D(2025, 4, 1))], D(2025, 5, 1), HERE
    )
    late = [d.message for d in found if d.code == "P002" and "维修资金" in d.message]
    assert late and "而且不含这一天" in late[0] and "earlier_disclosures" in late[0]
    working = Published(estate, "current", D(2025, 5, 1), None, lambda at: HERE)
    found = evaluate(load_profile("national"), [working], D(2025, 5, 1), HERE)
    late = [d.message for d in found if d.code == "P002" and "维修资金" in d.message]
    assert late and "本系统里没有含这一天的报表" in late[0] and "earlier_disclosures" in late[0]
    assert "它在工作副本中" not in late[0]
