"""Figures, peers and flags over the benchmark's synthetic city of 1,000 estates, outliers planted.

The city is the benchmark generator's (benchmarks/city.py: a seeded spread of
sizes, fees, fund balances and revenues), each estate as content data with a
year of statements; its figures are computed as a build computes them, then
placed among the estates of the same street and city.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from generator import peers
from generator.config import Comparison
from generator.model import EstateData
from generator.profiles import load_profile
from generator.render import text

from .conftest import REPO, SITE_YAML

sys.path.insert(0, str(REPO / "benchmarks"))
import city  # noqa: E402

COUNT = 1000
DAY = dt.date(2026, 3, 1)
FEE, FUND, KEPT, PLAIN = 7, 8, 9, 10  # the estates the tests plant outliers in, and one left alone


def figures_of(p: city.Params) -> peers.Figures:
    data = EstateData.model_validate(city.document(p))
    return peers.estate_figures(p.estate_id, data, [(DAY, data)], load_profile("national"), DAY)


@pytest.fixture(scope="module")
def city_figures() -> dict[str, peers.Figures]:
    """Every estate's figures, with a fee three times its street's median, a fund at 10 % of
    its first deposit and a revenue never handed back planted in three estates."""
    made = {p.estate_id: p for p in (city.params(n, COUNT) for n in range(COUNT))}
    ordinary = [figures_of(p) for p in made.values()]
    street = made[f"estate-{FEE:05d}"].street
    fees = sorted(f.values["fee_residential"] for f in ordinary if f.street == street)
    median = peers.quartiles(fees)[1]
    planted = {
        FEE: {"fee": (median * 3).quantize(Decimal("0.01"))},
        FUND: {"fund_share": Decimal("0.10")},
        KEPT: {"distributed": Decimal(0)},
    }
    for n, change in planted.items():
        p = made[f"estate-{n:05d}"]
        made[p.estate_id] = dataclasses.replace(p, **change)
    return {i: figures_of(p) for i, p in made.items()}


def say(words: object) -> str:
    """Page words in Chinese."""
    return text.say(words, lambda message: message, "zh-CN")


def flags_of(found: list[peers.Flag], n: int) -> list[peers.Flag]:
    return [f for f in found if f.estate_id == f"estate-{n:05d}"]


def test_the_city_has_a_spread_and_streets_enough_to_compare(
    city_figures: dict[str, peers.Figures],
) -> None:
    fees = sorted(f.values["fee_residential"] for f in city_figures.values())
    assert fees[0] < Decimal("0.6") and fees[-1] > Decimal("2.9")  # eras apart
    grouped = peers.group(city_figures.values(), Comparison())
    assert len(grouped.streets) == COUNT // city.PER_STREET
    assert all(len(estates) == city.PER_STREET for estates in grouped.streets.values())


def test_planted_outliers_are_flagged_with_their_figures_and_no_ordinary_estate_is(
    city_figures: dict[str, peers.Figures],
) -> None:
    found = peers.flags(peers.group(city_figures.values(), Comparison()))
    fee = flags_of(found, FEE)
    assert [(f.figure, f.rule, f.scope) for f in fee] == [
        ("fee_residential", "fence_high", "street")
    ]
    flag = fee[0]
    assert flag.value == city_figures[flag.estate_id].values["fee_residential"]
    assert flag.value > flag.limit > flag.median  # past the fence, the fence past the median
    assert flag.median is not None and flag.value > 2 * flag.median
    fund = flags_of(found, FUND)
    assert ("fund_share", "top_up") in [(f.figure, f.rule) for f in fund]
    top_up = next(f for f in fund if f.rule == "top_up")
    assert (top_up.value, top_up.limit) == (Decimal("10.0"), Decimal(30))
    assert top_up.median is not None and top_up.median > Decimal(50)
    kept = flags_of(found, KEPT)
    assert [(f.figure, f.rule) for f in kept] == [("revenue_distributed", "never_distributed")]
    never = kept[0]
    assert never.limit == 12  # months of statements published
    assert never.value == city_figures[never.estate_id].revenue_income.quantize(Decimal("0.01"))
    assert flags_of(found, PLAIN) == []
    others = {f.estate_id for f in found} - {f"estate-{n:05d}" for n in (FEE, FUND, KEPT)}
    assert len(others) < COUNT * 2 // 100  # the fences mark far-out values: a few to visit
    assert not [f for f in found if f.estate_id in others and not f.rule.startswith("fence")]


def test_the_fee_flag_reads_as_a_sentence_with_the_median_and_the_fence(
    city_figures: dict[str, peers.Figures],
) -> None:
    flag = flags_of(peers.flags(peers.group(city_figures.values(), Comparison())), FEE)[0]
    said = say(flag.words())
    assert said.startswith(f"住宅物业费 {flag.value}元/㎡·月，高于同街道")
    assert f"上限 {flag.limit}（中位数 {flag.median}）" in said


def test_an_estate_stands_among_its_street_and_its_city(
    city_figures: dict[str, peers.Figures],
) -> None:
    grouped = peers.group(city_figures.values(), Comparison())
    street, town = grouped.standings(f"estate-{PLAIN:05d}")[0]
    assert street.figure == "fee_residential" and street.scope == "street"
    plain = city_figures[f"estate-{PLAIN:05d}"]
    same = grouped.streets[plain.street_key]
    alike = [f for f in same if (f.era, f.kind) == (plain.era, plain.kind)]
    assert street.alike and street.count == len(alike) > 5
    assert 1 <= street.rank <= street.count and town.count > street.count
    words = say(peers.standing_words(street, Comparison()))
    assert (
        words
        == f"同街道 {street.count} 个同类小区中从低到高第 {street.rank}，中位数 {street.median}"
    )


def test_fewer_than_five_peers_are_too_few_to_compare(
    city_figures: dict[str, peers.Figures],
) -> None:
    few = list(city_figures.values())[:5]  # five estates of five streets of one city
    grouped = peers.group(few, Comparison())
    street, town = grouped.standings(few[0].estate_id)[0]
    assert (street.count, town.count) == (0, 0)
    assert say(peers.standing_words(town, Comparison())) == "同城市可比的小区不足 6 个，不作比较"
    assert peers.flags(grouped) == []


def test_thresholds_come_from_site_yaml(city_figures: dict[str, peers.Figures]) -> None:
    strict = Comparison(collection_below=Decimal(99), fund_share_below=Decimal(5))
    found = peers.flags(peers.group(city_figures.values(), strict))
    assert len([f for f in found if f.rule == "collection"]) == COUNT  # every estate under 99 %
    assert not [f for f in found if f.rule == "top_up"]  # 10 % is above a 5 % line


def small_city(root: Path, count: int = 7) -> list[city.Params]:
    """A site of ``count`` estates of the benchmark's first street, shown as working copies,
    the first estate's fee three times the others'."""
    (root / "site.yaml").write_text(SITE_YAML + "show_working_copy: true\n", encoding="utf-8")
    made = [city.params(n, city.PER_STREET) for n in range(count)]  # a city of one street
    made[0] = dataclasses.replace(made[0], fee=max(p.fee for p in made) * 3)
    for p in made:
        document = json.loads(json.dumps(city.document(p), default=str))
        files = {"estate.yaml": document["estate"], "fees.yaml": document["fees"]}
        for kind, statements in document["accounts"].items():
            folder = kind.replace("_", "-")
            files |= {f"accounts/{folder}/{pid}.yaml": st for pid, st in statements.items()}
        for name, part in files.items():
            path = root / "content" / p.estate_id / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(part, ensure_ascii=False), encoding="utf-8")
    return made


def test_a_built_site_compares_a_street_and_flags_its_outlier(tmp_path: Path) -> None:
    from generator.pipeline import build
    from generator.views import street_page

    made = small_city(tmp_path)
    out = tmp_path / "build"
    build(tmp_path, out, None, DAY, with_pdf=False)
    page = street_page(city.CITY, made[0].district, made[0].street)
    compared = (out / "compare" / f"{page}.html").read_text(encoding="utf-8")
    fee = f"{made[0].fee:.2f}"
    assert f"住宅物业费：{fee} 元/㎡·月" in compared
    assert "同街道 7 个小区中从低到高第 7，中位数" in compared
    assert compared.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 7 * 5  # a chart a figure
    overview = (out / "street.html").read_text(encoding="utf-8")
    assert f"{made[0].name}</a>：住宅物业费 {fee}元/㎡·月，高于同街道 7 个小区的上限" in overview
    assert overview.count("高于同街道") + overview.count("低于同街道") == 1  # the others are not
    estate = (out / made[0].estate_id / "index.html").read_text(encoding="utf-8")
    assert f'href="../compare/{page}.html#{made[0].estate_id}"' in estate
    from click.testing import CliRunner

    from generator.cli import main

    said = CliRunner().invoke(
        main, ["-C", str(tmp_path), "check", "--as-of", DAY.isoformat(), "--format", "json"]
    )
    (flag,) = json.loads(said.stdout)["flags"]  # the same outlier, with its figures
    assert flag["estate"] == made[0].estate_id and flag["figure"] == "fee_residential"
    text = CliRunner().invoke(main, ["-C", str(tmp_path), "check", "--as-of", DAY.isoformat()])
    assert "flags" not in text.stdout
    from generator.cache import CACHE_FOLDER, Cache
    from generator.checking import check

    again = check(tmp_path, DAY, cache=Cache(tmp_path / CACHE_FOLDER), with_flags=True)
    assert again.checked == [] and again.kept  # every estate's figures read from the cache
    assert [f.as_json() for f in again.flags] == json.loads(said.stdout)["flags"]


def test_a_statement_first_released_a_day_later_is_a_day_later() -> None:
    """Lateness counts the day a statement is first released: a release a day later adds a
    day (check counts releases alone, tests/test_checking.py)."""
    from generator.model import Accounts

    data = EstateData.model_validate(city.document(city.params(PLAIN, COUNT)))
    joined = data.model_copy(update={"accounts": Accounts()})  # its first release: no statements
    profile, tomorrow = load_profile("national"), DAY + dt.timedelta(days=1)
    today = [(dt.date(2024, 1, 10), joined), (DAY, data)]
    late = peers.days_late(today, profile)["days_late"]
    assert peers.days_late([*today[:1], (tomorrow, data)], profile)["days_late"] == late + 1


def test_satisfaction_and_complaints_a_hundred_households_are_compared_too() -> None:
    """云莲新村: its newest survey scored 78.6 of 100; 47 + 38 complaints in 183 days, 484 households."""
    from generator.site import estate_profile, load_site

    site = load_site(REPO)
    estate = next(e for e in site.estates if e.id == "yun-lian-xin-cun")
    assert estate.data is not None
    day = dt.date(2026, 11, 29)
    figures = peers.estate_figures(
        estate.id, estate.data, [(day, estate.data)], estate_profile(site, estate), day
    )
    assert figures.values["satisfaction"] == Decimal("78.6")
    received = Decimal(47 + 38) * 365 / 183
    assert figures.values["complaints_per_100"] == (received * 100 / 484).quantize(Decimal("0.1"))
    assert figures.values["complaints_per_100"] == Decimal("35.0")
