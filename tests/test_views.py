"""What pages and sheets say as of a day: fees in force, vote outcomes, periods in words, contacts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from generator import views
from generator.model.base import Period
from generator.model.estate import Channel
from generator.pipeline import estate_profile, load_site
from generator.render.text import say

from .conftest import REPO

D = dt.date


def chinese(words: object) -> str:
    return say(words, lambda message: message, "zh-CN")


def english(words: object) -> str:
    from generator.i18n import translations

    return say(words, translations("en").gettext, "en")


def demo_estate(estate_id: str):  # type: ignore[no-untyped-def]
    site = load_site(REPO)
    estate = next(e for e in site.estates if e.id == estate_id)
    return site, estate, estate.releases[-1].data


@pytest.mark.parametrize(
    ("start", "end", "zh", "en"),
    [
        (D(2026, 1, 1), D(2026, 6, 30), "2026 年上半年", "first half of 2026"),
        (D(2025, 7, 1), D(2025, 12, 31), "2025 年下半年", "second half of 2025"),
        (D(2026, 4, 1), D(2026, 6, 30), "2026 年第二季度", "Q2 2026"),
        (D(2025, 1, 1), D(2025, 12, 31), "2025 年", "2025"),
        (D(2025, 3, 1), D(2025, 3, 31), "2025 年 3 月", "3/2025"),
        (D(2025, 3, 5), D(2025, 4, 20), "2025年3月5日至2025年4月20日", "March 5, 2025 to April 20, 2025"),
    ],
)  # fmt: skip
def test_a_period_in_words(start: dt.date, end: dt.date, zh: str, en: str) -> None:
    words = views.period_words(Period.model_validate({"from": start, "to": end}))
    assert chinese(words) == zh
    assert english(words) == en


def test_the_fee_in_force_and_the_change_announced_turn_on_the_day() -> None:
    _, _, data = demo_estate("yun-lian-xin-cun")
    assert data.fees is not None
    fee = next(f for f in data.fees.standards if f.id == "property-fee-multi")
    before = views.fee_now(fee, D(2026, 8, 31))
    assert before.current is not None and before.current.period.amount == Decimal("0.55")
    [announced] = before.upcoming
    assert announced.period.amount == Decimal("0.85") and announced.period.start == D(2026, 9, 1)
    assert announced.delta == Decimal("0.30") and announced.rise
    assert views.signed_percent(announced.percent) == "+54.5%"
    after = views.fee_now(fee, D(2026, 9, 1))
    assert after.current is not None and after.current.period.amount == Decimal("0.85")
    assert after.upcoming == [] and [s.period.amount for s in after.past] == [Decimal("0.55")]
    assert after.current.before is not None and after.current.before.amount == Decimal("0.55")


def test_a_fee_before_its_first_period_and_after_its_last() -> None:
    _, _, data = demo_estate("jia-he-jin-yuan")
    assert data.fees is not None
    fee = next(f for f in data.fees.standards if f.id == "parking-ground-rent")
    early = views.fee_now(fee, D(2018, 12, 31))
    assert early.current is None and len(early.upcoming) == 2 and early.past == []
    ended = fee.model_copy(update={"periods": fee.periods[:1]})
    gone = views.fee_now(ended, D(2026, 9, 1))
    assert gone.current is None and gone.upcoming == [] and len(gone.past) == 1


def test_a_posting_period_is_before_during_or_after_a_day() -> None:
    period = Period.model_validate({"from": D(2026, 7, 15), "to": D(2026, 8, 31)})
    assert views.posting_state(period, D(2026, 7, 14)) == "before"
    assert views.posting_state(period, D(2026, 7, 15)) == "during"
    assert views.posting_state(period, D(2026, 8, 31)) == "during"
    assert views.posting_state(period, D(2026, 9, 1)) == "after"
    assert views.posting_state(None, D(2026, 9, 1)) is None


# every vote of the demo, judged by the profile its estate falls under: its outcome,
# and its shares (area, headcount) of the base the rule in force counts on
DEMO_VOTES = {
    ("jia-he-jin-yuan", "vote-2024-select"): ("passed", ("87.7%", "77.0%"), ("74.1%", "73.8%")),
    ("jia-he-jin-yuan", "vote-2025-roof"): ("passed", ("78.1%", "77.9%"), ("89.5%", "88.9%")),
    ("jia-he-jin-yuan", "vote-2026-lift"): ("passed", ("79.0%", "78.8%"), ("77.9%", "77.4%")),
    ("jia-he-jin-yuan", "vote-2026-parking"): ("passed", ("80.7%", "71.2%"), ("65.0%", "64.7%")),
    ("jing-yang-hua-yuan", "vote-2023-hire"): ("passed", ("72.8%", "72.9%"), ("85.7%", "85.8%")),
    ("jing-yang-hua-yuan", "vote-2026-wall"): ("passed", ("82.5%", "81.9%"), ("86.4%", "86.4%")),
    ("jing-yang-hua-yuan", "vote-2026-renew"): ("passed", ("70.7%", "70.4%"), ("79.5%", "79.9%")),
    ("jing-yang-hua-yuan", "vote-2026-parking"): ("passed", ("70.7%", "70.4%"), ("64.2%", "64.2%")),
    ("jing-yang-hua-yuan", "vote-2026-green"): ("failed", ("71.2%", "71.5%"), ("66.7%", "66.2%")),
    ("yun-lian-xin-cun", "vote-2023-renew"): ("passed", ("74.8%", "74.7%"), ("81.7%", "82.0%")),
    ("yun-lian-xin-cun", "vote-2025-roof"): ("passed", ("81.3%", "80.5%"), ("89.2%", "89.6%")),
    ("yun-lian-xin-cun", "vote-2026-pipe"): ("passed", ("80.2%", "80.2%"), ("84.9%", "85.7%")),
    ("yun-lian-xin-cun", "vote-2026-fee"): ("passed", ("76.6%", "76.6%"), ("71.8%", "72.2%")),
    ("yun-lian-xin-cun", "vote-2026-rules"): ("passed", ("72.2%", "72.7%"), ("87.4%", "87.7%")),
}  # fmt: skip


def test_each_demo_vote_has_the_outcome_its_rule_gives() -> None:
    site = load_site(REPO)
    seen = set()
    for estate in site.estates:
        profile = estate_profile(site, estate)
        votes = estate.releases[-1].data.votes
        for vote in votes.votes if votes else []:
            result = views.vote_result(profile, vote)
            seen.add((estate.id, vote.id))
            assert result.rule is not None, (estate.id, vote.id)  # 民法典 art. 278: every matter
            outcome, taking_part, approving = DEMO_VOTES[(estate.id, vote.id)]
            assert result.count is not None
            assert result.outcome == outcome, (estate.id, vote.id)
            assert tuple(map(views.percent, result.count.taking_part)) == taking_part
            assert tuple(map(views.percent, result.count.approving)) == approving
    assert set(DEMO_VOTES) == seen
    assert any(o != "passed" for o, _, _ in DEMO_VOTES.values())  # one fails its threshold


def test_too_few_taking_part_fails_before_the_share_in_favour_is_counted() -> None:
    site, estate, data = demo_estate("jing-yang-hua-yuan")
    assert data.votes is not None
    wall = next(v for v in data.votes.votes if v.id == "vote-2026-wall")
    few = wall.model_copy(
        update={
            "participating": wall.participating.model_copy(update={"area": Decimal("8000.00")}),
            "approving": wall.approving.model_copy(update={"area": Decimal("7900.00")}),
        }
    )
    result = views.vote_result(estate_profile(site, estate), few)
    assert result.outcome == "too_few"
    assert result.count is not None and not result.count.participation_met
    assert result.count.approval_met  # 7900 of 8000 approve: the share is not what failed


def test_thresholds_in_words() -> None:
    assert chinese(views.fraction_words("2/3")) == "三分之二"
    assert english(views.fraction_words("3/4")) == "three quarters"
    assert chinese(views.fraction_words("3/5")) == "60.00%"
    assert views.percent(Fraction(2, 3)) == "66.6%"  # rounded down: never reads as on the line


def test_contacts_list_each_number_once_grouped() -> None:
    _, _, data = demo_estate("jia-he-jin-yuan")
    authority = [Channel(name="12345 市民服务热线", phone="12345")]
    groups = views.contact_groups(data.estate, authority)
    labels = [chinese(label) for label, _ in groups]
    assert labels == ["物业", "业主委员会", "监督和投诉"]
    phones = [line.phone for _, lines in groups for line in lines]
    assert len(phones) == len(set(phones)) == 5
    firm, _, watch = (lines for _, lines in groups)
    assert firm[0].phone == data.estate.firm.hotline
    assert data.estate.firm.hotline not in [line.phone for line in watch]


def test_each_building_against_its_first_deposit_and_top_up_line() -> None:
    site, estate, data = demo_estate("jia-he-jin-yuan")
    latest = views.newest(data.accounts.maintenance_fund)
    funds = views.building_funds(latest, data.estate, Decimal(30))
    assert [b.building.name for b in funds][:3] == ["1号楼", "2号楼", "3号楼"]
    third = funds[2]  # its lifts were renewed from its fund
    assert views.percent(third.share) == "55.8%"
    assert third.line == Decimal("279655.68") and not third.below
    assert third.per_m2 == Decimal("44.67")
    low = views.building_funds(latest, data.estate, Decimal(60))[2]
    assert low.below


def test_a_page_reads_the_same_between_two_breakpoints() -> None:
    _, _, data = demo_estate("jia-he-jin-yuan")
    days = views.breakpoints(data, None)
    assert D(2026, 9, 1) in days  # the parking rent's new period starts
    assert D(2026, 9, 1) in days and D(2026, 7, 15) in days  # its notice's posting starts, ends
    assert days == sorted(set(days))


def test_a_correction_of_a_value_never_written_says_it_was_empty() -> None:
    from generator.model.notices import Correction
    from generator.render.changes import Line

    fix = Correction.model_validate(
        {"id": "fix-1", "date": dt.date(2026, 8, 10), "path": "votes.votes.v.buildings",
         "new": ["b5"], "reason": "漏写了表决范围", "notice": "n"}
    )  # fmt: skip
    line = Line("changed", "业主表决", ("屋面防水",), "", "5号楼")
    assert chinese(views.correction_words(line, fix)) == (
        "更正：业主表决 · 屋面防水，由 （空） 改为 5号楼；原因：漏写了表决范围（2026年8月10日 更正）"
    )
