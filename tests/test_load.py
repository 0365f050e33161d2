from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from generator.errors import Diagnostic, Location
from generator.load import load_text
from generator.model.notices import Release
from generator.releases import snapshot_text

from .conftest import Site


def test_fractions_are_exact_decimals_never_floats() -> None:
    located, problems = load_text("a: 0.1\nb: 12345678901234.56\nc: 1.5e+3\nd: 7\n", "t.yaml")
    assert problems == []
    assert located.data == {
        "a": Decimal("0.1"),
        "b": Decimal("12345678901234.56"),
        "c": "1.5e+3",  # not a plain number: kept as written, for the model to refuse
        "d": 7,
    }
    assert all(not isinstance(v, float) for v in located.data.values())


def test_dates_are_real_dates() -> None:
    located, _ = load_text("a: 2024-02-29\nb: 2023-02-29\nc: 2024-1-5\n", "t.yaml")
    assert located.data["a"] == dt.date(2024, 2, 29)
    # impossible or non-ISO dates stay text, for validation to report with their location
    assert located.data["b"] == "2023-02-29"
    assert located.data["c"] == "2024-1-5"


def test_leading_zero_numbers_stay_text() -> None:
    located, _ = load_text("phone: 02150000000\noctal: 0o17\n", "t.yaml")
    assert located.data == {"phone": "02150000000", "octal": "0o17"}


def test_every_value_and_key_has_a_location() -> None:
    located, _ = load_text("a:\n  - x: 1\n    y: [2, 3]\n", "t.yaml")
    assert located.values[("a", 0, "y", 1)] == Location("t.yaml", 3, 12)
    assert located.keys[("a", 0, "y")] == Location("t.yaml", 3, 5)


def test_duplicate_key_is_an_error_naming_its_line() -> None:
    _, problems = load_text("fees:\n  amount: 1\n  item: x\n  amount: 2\n", "t.yaml")
    assert problems == [
        Diagnostic(
            "L002",
            Location("t.yaml", 4, 3),
            "fees.amount：“amount”写了两次（第一次在第 2 行）：同一级里每个键只能写一次，请删掉一个或合并成一个",
        )
    ]


def test_aliases_merge_keys_and_tags_are_refused() -> None:
    text = "a: &x {k: 1}\nb: *x\nc:\n  <<: {k: 2}\nd: !!binary aGk=\n"
    _, problems = load_text(text, "t.yaml")
    assert [(p.location.line, p.code) for p in problems] == [(2, "L004"), (4, "L004"), (5, "L004")]


def test_syntax_error_names_line_and_column() -> None:
    _, problems = load_text("a: [1, 2\nb: 3\n", "t.yaml")
    assert [(p.location.file, p.code) for p in problems] == [("t.yaml", "L001")]
    assert problems[0].location.line == 2


def test_unknown_key_is_an_error_naming_its_line(site: Site) -> None:
    site.write(
        "accounts/public-revenue/2025-h1.yaml",
        """\
        period: {from: 2025-01-01, to: 2025-06-30}
        opening: 12000.00
        closing: 12000.00
        clsoing: 12000.00
        """,
    )
    assert [d.format() for d in site.check()] == [
        "content/x/accounts/public-revenue/2025-h1.yaml:4:1: S002 错误: clsoing：没有“clsoing”这个字段，是不是“closing”（期末余额）？"
    ]


def test_not_utf8_is_reported(site: Site) -> None:
    (site.estate / "votes.yaml").write_bytes("votes: []\n# 注释\n".encode("gb18030"))
    assert ("votes.yaml", 2, 1, "L003") in site.found()  # the line of its first Chinese


def test_large_amount_survives_load_model_json_unchanged(site: Site) -> None:
    site.write(
        "accounts/public-revenue/2025-h1.yaml",
        """\
        period: {from: 2025-01-01, to: 2025-06-30}
        opening: 12345678901234.56
        income:
          - {id: a, date: 2025-03-01, category: 停车, amount: 15000.1, summary: 停车}
        expenditure:
          - {id: b, date: 2025-06-30, category: 转入维修资金, amount: 15000.00, summary: 转入, transfer: t-2025-h1-revenue}
        closing: 12345678901234.66
        """,
    )
    from generator.pipeline import load_site

    loaded = load_site(site.root)
    assert loaded.diagnostics == []
    data = loaded.estates[0].data
    assert data is not None
    statement = data.accounts.public_revenue["2025-h1"]
    assert statement.opening == Decimal("12345678901234.56")
    assert statement.income[0].amount == Decimal("15000.10")
    dumped = json.loads(data.model_dump_json(by_alias=True))
    assert dumped["accounts"]["public_revenue"]["2025-h1"]["opening"] == "12345678901234.56"
    assert dumped["accounts"]["public_revenue"]["2025-h1"]["closing"] == "12345678901234.66"
    release = Release.model_validate(
        {
            "id": "r1",
            "date": "2025-07-01",
            "posting": {"from": "2025-07-01", "to": "2025-07-10"},
            "signers": [{"role": "物业服务企业", "name": "x"}],
        }
    )
    assert '"opening": "12345678901234.56"' in snapshot_text(release, data)


def test_unknown_key_deep_in_a_list_suggests_the_field(site: Site) -> None:
    text = (site.estate / "fees.yaml").read_text(encoding="utf-8")
    site.write("fees.yaml", text.replace("        amount: 0.85", "        amuont: 0.85", 1))
    (problem,) = [d for d in site.check() if d.code == "S002"]
    assert (
        problem.message
        == "standards[0].periods[0].amuont：没有“amuont”这个字段，是不是“amount”（收费标准）？"
    )
