from __future__ import annotations

import datetime as dt
import gc
import json
import weakref
from decimal import Decimal

import pytest

from generator.errors import Diagnostic, Location
from generator.load import Bounds, _Reader, load_text
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


# -- one pass over the parser's events: the same outcomes as bounding first, composing after


def test_quoted_values_stay_text_and_plain_ones_are_typed() -> None:
    text = (
        "a: '123'\nb: \"2025-01-01\"\nc: 2025-01-01\nd: 123\ne: !!str 123\nf: ~\ng: yes\nh: 1.50\n"
    )
    located, problems = load_text(text, "t.yaml")
    assert problems == []
    assert located.data == {
        "a": "123",
        "b": "2025-01-01",
        "c": dt.date(2025, 1, 1),
        "d": 123,
        "e": "123",
        "f": None,
        "g": True,
        "h": Decimal("1.50"),
    }
    assert [type(v) for v in located.data.values()][:4] == [str, str, dt.date, int]


def test_a_bound_reached_before_a_later_syntax_error_is_what_is_reported() -> None:
    text = "votes:\n" + "".join(f"  - v{i}\n" for i in range(6)) + "bad: [\n"
    located, problems = load_text(text, "t.yaml", bounds=Bounds(entries=5))
    assert problems == [
        Diagnostic(
            "L009",
            Location("t.yaml", 6, 5),
            "这个文件的条目（列表项和“键: 值”）超过 5 个，到这里为止，文件没有读取：请把内容拆到几个文件里（如按期次分开报表），上限在 site.yaml 的 limits 里设置",
        )
    ]
    assert located.data is None and dict(located.values) == {}


def test_a_syntax_error_before_the_bound_is_what_is_reported() -> None:
    text = "bad: [\nvotes:\n" + "".join(f"  - v{i}\n" for i in range(6))
    located, problems = load_text(text, "t.yaml", bounds=Bounds(entries=5))
    assert problems == [
        Diagnostic(
            "L001",
            Location("t.yaml", 3, 3),
            "YAML 写法有误：请检查这一行和上一行的缩进（只用空格）、英文冒号和引号",
        )
    ]
    assert located.data is None and located.text == text


def test_a_second_document_is_a_syntax_error_unless_a_bound_is_reached_in_it() -> None:
    _, problems = load_text("a: 1\n---\nb: [\n", "t.yaml")
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [("L001", 2, 1)]
    _, problems = load_text("a: 1\n--- " + "[" * 40 + "\n", "t.yaml")
    assert problems == [
        Diagnostic(
            "L009",
            Location("t.yaml", 2, 37),
            "这里嵌套超过 32 层，文件没有读取：公示数据用不到这么多层，请检查缩进和括号",
        )
    ]


def test_an_alias_is_refused_where_it_is_used() -> None:
    located, problems = load_text("a: &x {k: 1}\nb: *x\n", "t.yaml")
    assert located.data == {"a": {"k": 1}, "b": None}
    assert problems == [
        Diagnostic(
            "L004",
            Location("t.yaml", 2, 1),
            "b：不能用别名（*名称）引用别处的值：请把值完整地写出来",
        )
    ]


def test_an_undefined_alias_is_a_syntax_error() -> None:
    _, problems = load_text("a: *nowhere\n", "t.yaml")
    assert problems == [
        Diagnostic(
            "L001", Location("t.yaml", 1, 4), "不能用 * 开头的别名：以 * 开头的值请加英文双引号"
        )
    ]


def test_merge_and_complex_keys_are_refused_and_their_values_skipped() -> None:
    message = "（整个文件）：键只能是普通的名字（不能用 << 合并键，也不能用列表或“? ”作键）"
    located, problems = load_text("a: 1\n<<: {k: 2}\n", "t.yaml")
    assert located.data == {"a": 1}
    assert problems == [Diagnostic("L004", Location("t.yaml", 2, 1), message)]
    located, problems = load_text("? [x]\n: 1\nb: 2\n", "t.yaml")
    assert located.data == {"b": 2}
    assert problems == [Diagnostic("L004", Location("t.yaml", 1, 3), message)]
    # an anchor under a refused key was never used: its alias reads as the value itself
    located, problems = load_text("<<: &x {k: 1}\nb: *x\n", "t.yaml")
    assert located.data == {"b": {"k": 1}}
    assert problems == [Diagnostic("L004", Location("t.yaml", 1, 1), message)]


def test_a_tag_on_a_list_is_refused_and_its_items_are_still_read() -> None:
    located, problems = load_text("a: !!seq [1]\nb: !t [2]\n", "t.yaml")
    assert located.data == {"a": [1], "b": [2]}
    assert located.refused == {("b",)}
    assert problems == [
        Diagnostic("L004", Location("t.yaml", 2, 4), "b：不能用 !t 这样的类型标签：直接写值")
    ]


def test_places_are_a_mapping_of_locations_made_when_asked_for() -> None:
    located, _ = load_text("a:\n  b: 1\n", "t.yaml", line_offset=2)
    assert located.values.get(("a", "b")) == Location("t.yaml", 4, 6)
    assert located.values.get(("c",)) is None and ("a",) in located.values
    assert dict(located.keys) == {
        ("a",): Location("t.yaml", 3, 1),
        ("a", "b"): Location("t.yaml", 4, 3),
    }
    located.values[("body",)] = Location("t.yaml", 9, 1)
    assert located.values.setdefault(("body",), Location("t.yaml", 1, 1)) == Location(
        "t.yaml", 9, 1
    )
    assert located.values == {
        (): Location("t.yaml", 3, 1),
        ("a",): Location("t.yaml", 4, 3),
        ("a", "b"): Location("t.yaml", 4, 6),
        ("body",): Location("t.yaml", 9, 1),
    }
    assert located.where(("a", "b", "x")) == Location("t.yaml", 4, 6)


_TEXTS = [
    "a:\n  - x: 1\n    y: [2, 3]\n  - {x: 4, y: '5'}\nb: 6\n",
    "fees:\n  amount: 1\n  item: x\n  amount: 2\n  more: [1, 2]\n",  # a key written twice
    "a: !!binary aGk=\nb:\n  c: 名称\n",  # a refused tag
    "- 1\n- [2, [3, 4]]\n- {k: v}\n",
    "plain",
]


@pytest.mark.parametrize("text", _TEXTS)
def test_places_noted_when_first_asked_for_are_those_noted_as_read(text: str) -> None:
    located, problems = load_text(text, "t.yaml", line_offset=3)
    noted, noted_problems = _Reader(text, "t.yaml", 3, Bounds(), noting=True).read()
    assert problems == noted_problems
    assert dict(located.values) == dict(noted.values) and located.values
    assert dict(located.keys) == dict(noted.keys)
    assert located.spans == noted.spans


def test_a_file_read_notes_only_its_whole_value_until_a_place_is_asked_for() -> None:
    located, _ = load_text("a:\n  b: 1\n  c: x\u202ey\n", "t.yaml")
    assert located.values.noted == {(): (1, 1)} and located.keys.noted == {}
    located.values[("a", "b")] = Location("t.yaml", 9, 1)  # set by hand: it stands
    assert located.char_at(("a", "c"), "\u202e") == Location("t.yaml", 3, 7)
    assert located.values[("a", "b")] == Location("t.yaml", 9, 1)
    assert located.keys[("a", "c")] == Location("t.yaml", 3, 3)


def test_a_file_no_one_asks_a_place_of_is_freed_as_soon_as_it_is_let_go() -> None:
    """The reading left for later holds no cycle: workers check estates with the cycle
    collector paused, and build thousands."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        located, _ = load_text("a:\n  b: [1, 2]\n", "t.yaml")
        held = weakref.ref(located)
        del located
        assert held() is None
    finally:
        if collecting:
            gc.enable()
