"""The usual slips of a clerk: each is recognised and explained with its place and its fix."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from generator.cli import main

from .conftest import Site

REVENUE = "accounts/public-revenue/2025-h1.yaml"
STATEMENT = """\
period: {{from: 2025-01-01, to: 2025-06-30}}
opening: 12000.00
income:
  - id: pr-1
    date: {date}
    category: 停车
    amount: {amount}
    summary: 临时停车费
closing: {closing}
"""


def revenue(site: Site, date: str = "2025-03-01", amount: str = "2449.20") -> list[str]:
    """Write a public-revenue statement with one entry; return every diagnostic on it."""
    site.write(REVENUE, STATEMENT.format(date=date, amount=amount, closing="14449.20"))
    return [d.format() for d in site.check() if REVENUE in d.location.file]


AT = "content/x/accounts/public-revenue/2025-h1.yaml"


def test_a_tab_in_the_indentation_names_the_line_and_says_to_use_spaces(site: Site) -> None:
    site.write(REVENUE, STATEMENT.format(date="2025-03-01", amount="2449.20", closing="14449.20"))
    path = site.estate / REVENUE
    path.write_text(
        path.read_text(encoding="utf-8").replace("    date:", "\tdate:"), encoding="utf-8"
    )
    assert [d.format() for d in site.check()] == [
        f"{AT}:5:1: L001 错误: 第 5 行的缩进里有 Tab 键：YAML 的缩进只能用空格。请把这一行开头的 Tab 换成空格（每一级两个空格）；多数编辑器可以用“查找和替换”把 Tab 一次全部换成两个空格"
    ]


def test_a_thousands_separator_is_named_and_the_number_written_out(site: Site) -> None:
    assert revenue(site, amount='"2,449.20"') == [
        f"{AT}:7:13: S004 错误: income[0].amount（金额）：数字里不要写千位分隔符“,”：“2,449.20”请写成 2449.2（从 Excel 复制时，先把单元格格式改成“常规”或“数值”且不勾选“使用千位分隔符”）"
    ]


def test_an_unquoted_thousands_separator_is_caught_too(site: Site) -> None:
    # YAML reads 2,449.20 unquoted as the text "2,449.20" as well
    assert revenue(site, amount="2,449.20")[0].startswith(
        f"{AT}:7:13: S004 错误: income[0].amount（金额）：数字里不要写千位分隔符“,”"
    )


def test_yuan_and_wan_are_taken_off_with_the_figure_to_write(site: Site) -> None:
    assert revenue(site, amount="2449.20元") == [
        f"{AT}:7:13: S004 错误: income[0].amount（金额）：只写数字，不写单位或货币符号：“2449.20元”请写成 2449.2"
    ]
    assert revenue(site, amount="1.2万") == [
        f"{AT}:7:13: S004 错误: income[0].amount（金额）：不要用“万”作单位：1.2万 请写成 12000（以元为单位，只写数字）"
    ]


def test_an_unpadded_date_is_a_real_date_written_without_zeros(site: Site) -> None:
    assert revenue(site, date="2025-3-1") == [
        f"{AT}:5:11: S005 错误: income[0].date（发生日期）：日期的月和日都要写两位：“2025-3-1”请写成 2025-03-01"
    ]


def test_excel_dates_are_recognised(site: Site) -> None:
    assert revenue(site, date="2025/3/1") == [
        f"{AT}:5:11: S005 错误: income[0].date（发生日期）：日期要写成 年-月-日，用半角“-”连接，月和日都写两位：“2025/3/1”请写成 2025-03-01"
    ]
    assert revenue(site, date="45717") == [
        f"{AT}:5:11: S005 错误: income[0].date（发生日期）：45717 像是 Excel 的日期序号（即 2025-03-01）：日期请写成 2025-03-01。从 Excel 复制前，先把单元格格式设成“文本”或自定义格式 yyyy-mm-dd"
    ]


def test_a_full_width_colon_names_the_key_and_the_colon_to_type(site: Site) -> None:
    site.write(REVENUE, STATEMENT.format(date="2025-03-01", amount="2449.20", closing="14449.20"))
    path = site.estate / REVENUE
    path.write_text(
        path.read_text(encoding="utf-8").replace("opening:", "opening："), encoding="utf-8"
    )
    assert [d.format() for d in site.check()] == [
        f"{AT}:2:8: L001 错误: 第 2 行“opening”后面的冒号是中文全角“：”：YAML 要用英文半角冒号“:”，后面再空一格。请写成“opening: …”（切换到英文输入法再打冒号）"
    ]


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("opening:12000.00", "第 2 行“opening:”后面少了一个空格：YAML 的冒号后面要空一格，请写成“opening: 12000.00”"),
        ("opening:　12000.00", "第 2 行“opening:”后面是全角空格“　”（中文输入法下打的空格）：请换成半角空格，写成“opening: …”"),
    ],
)  # fmt: skip
def test_a_colon_with_no_space_after_it_is_named_on_its_own_line(
    site: Site, written: str, said: str
) -> None:
    site.write(REVENUE, STATEMENT.format(date="2025-03-01", amount="2449.20", closing="14449.20"))
    path = site.estate / REVENUE
    path.write_text(
        path.read_text(encoding="utf-8").replace("opening: 12000.00", written), encoding="utf-8"
    )
    assert [d.format() for d in site.check()] == [f"{AT}:2:8: L001 错误: {said}"]


def test_a_full_width_space_in_the_indentation_is_named(site: Site) -> None:
    site.write(REVENUE, STATEMENT.format(date="2025-03-01", amount="2449.20", closing="14449.20"))
    path = site.estate / REVENUE
    path.write_text(
        path.read_text(encoding="utf-8").replace("    date:", "　　date:"), encoding="utf-8"
    )
    assert [d.format() for d in site.check()] == [
        f"{AT}:5:1: L001 错误: 第 5 行开头有全角空格“　”（中文输入法下打的空格）：缩进只能用半角空格。请删掉它，用半角空格对齐"
    ]


def test_a_yml_file_is_to_be_renamed(site: Site) -> None:
    (site.estate / "votes.yaml").rename(site.estate / "votes.yml")
    assert [d.format() for d in site.check() if d.code == "L006"] == [
        "content/x/votes.yml:1:1: L006 错误: 这个文件没有读取：扩展名要写 .yaml，请把它改名为 votes.yaml"
    ]


def test_a_gbk_file_names_its_encoding_and_how_to_save_it_as_utf8(site: Site) -> None:
    text = (site.estate / "votes.yaml").read_text(encoding="utf-8")
    (site.estate / "votes.yaml").write_bytes(text.encode("gbk"))
    assert [d.format() for d in site.check()] == [
        "content/x/votes.yaml:2:1: L003 错误: 这个文件是 GBK（GB2312/GB18030）编码，Windows 记事本和 WPS 里叫“ANSI”，第 2 行起的中文无法按 UTF-8 读取：请用编辑器“另存为”，编码选“UTF-8”后保存"
    ]


def test_a_utf16_file_names_its_encoding(site: Site) -> None:
    text = (site.estate / "votes.yaml").read_text(encoding="utf-8")
    (site.estate / "votes.yaml").write_bytes(text.encode("utf-16"))
    assert [d.format() for d in site.check()] == [
        "content/x/votes.yaml:1:1: L003 错误: 这个文件是 UTF-16 编码（Windows 记事本里叫“Unicode”）：sunshine 只读 UTF-8。请用编辑器“另存为”，编码选“UTF-8”后保存"
    ]


def test_shi_and_fou_are_to_be_written_true_and_false(site: Site) -> None:
    text = (site.estate / "estate.yaml").read_text(encoding="utf-8")
    site.write("estate.yaml", text.replace("state_owned: false", "state_owned: 是"))
    assert [d.format() for d in site.check()] == [
        "content/x/estate.yaml:40:16: S003 错误: firm.state_owned（是否国有企业）：是非项要写英文：“是”请写成 true（是）"
    ]


def test_a_word_not_in_the_list_lists_the_allowed_ones_and_the_nearest(site: Site) -> None:
    path = site.estate / "accounts/property-fees/2024.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{category: 绿化养护费,", "{category: 绿化,"), encoding="utf-8")
    assert [d.format() for d in site.check()] == [
        "content/x/accounts/property-fees/2024.yaml:20:16: S003 错误: expenditure[3].category（法定成本类别）：“绿化”不是可选的值，只能写以下之一：人员费用、共用部位共用设施设备运行维护费、清洁卫生费、绿化养护费、秩序维护费、办公费、固定资产折旧、共用部位共用设施设备及公众责任保险费、经业主同意的其他费用、税费。最接近的是“绿化养护费”"
    ]


def test_the_fixes_are_said_in_english_with_lang_en(site: Site) -> None:
    revenue(site, amount='"2,449.20"')
    result = CliRunner().invoke(main, ["--lang", "en", "-C", str(site.root), "check"])
    assert (
        f"{AT}:7:13: S004 error: income[0].amount (amount in yuan): no thousands separators in numbers: write '2,449.20' as 2449.2"
        in result.output
    )


def test_a_percentage_is_explained_as_a_number_only_where_a_percentage_is_asked(
    site: Site,
) -> None:
    fees = "fees.yaml"
    site.write(
        fees,
        """\
standards:
  - id: f
    item: 物业服务费
    payer: 业主
    applies_to: 住宅
    unit: 元/㎡·月
    calculation: 按建筑面积
    periods:
      - from: 2024-01-01
        amount: 2.20
        regime: 政府指导价
        guide: {base: 2.20, lower: -10%, upper: +10%}
        basis: {kind: 其他, ref: x}
""",
    )
    said = [d.format() for d in site.check() if d.location.file.endswith(fees)]
    at = "content/x/fees.yaml:12:"
    assert said == [
        f"{at}36: S004 错误: standards[0].periods[0].guide.lower（下浮后最低价）：这里要写单价（元，最多 4 位小数，如 0.85），不是百分比：“-10%”请换成按它算好的数",
        f"{at}49: S004 错误: standards[0].periods[0].guide.upper（上浮后最高价）：这里要写单价（元，最多 4 位小数，如 0.85），不是百分比：“+10%”请换成按它算好的数",
    ]
    # where a percentage is asked (a vote's threshold, a commission's rate) “60%” is 60
    assert revenue(site, amount="60%")[0].endswith("不是百分比：“60%”请换成按它算好的数")


def test_choices_run_together_are_told_apart_with_the_list_to_write(site: Site) -> None:
    path = site.estate / "estate.yaml"
    text = path.read_text(encoding="utf-8")
    assert "property_types: [住宅, 车位]" in text
    path.write_text(
        text.replace("property_types: [住宅, 车位]", "property_types: [住宅，商铺，车位]"),
        encoding="utf-8",
    )
    said = [d.message for d in site.check() if d.code.startswith("S")]
    assert said == [
        "property_types[0]（物业类型）：“住宅，商铺，车位”是几项写在了一起：列表的每一项之间用英文逗号“,”隔开，写成 [住宅, 商铺, 车位]"
    ]


def test_a_slip_in_a_notices_front_matter_is_counted_from_the_top_of_the_file(
    site: Site,
) -> None:
    notice = sorted((site.estate / "notices").glob("*.md"))[0]
    text = notice.read_text(encoding="utf-8")
    assert text.split("\n")[1].startswith("title: ")
    notice.write_text(text.replace("title: ", "title：", 1), encoding="utf-8")
    (said,) = [d.format() for d in site.check() if d.code == "L001"]
    assert f"notices/{notice.name}:2:6: L001 错误: 第 2 行“title”后面的冒号是中文全角“：”" in said


def test_a_full_width_colon_inside_braces_is_named_and_its_field_not_called_missing(
    site: Site,
) -> None:
    site.write(REVENUE, STATEMENT.format(date="2025-03-01", amount="2449.20", closing="14449.20"))
    path = site.estate / REVENUE
    path.write_text(
        path.read_text(encoding="utf-8").replace("{from: 2025-01-01", "{from：2025-01-01"),
        encoding="utf-8",
    )
    assert [d.format() for d in site.check() if REVENUE in d.location.file] == [
        f"{AT}:1:10: S002 错误: period：“from：2025-01-01”里的冒号是中文全角“：”，YAML 把它整个读成了一个字段名：请写成“from: 2025-01-01”（英文冒号，后面空一格）"
    ]


@pytest.mark.parametrize("written", ["1号楼", "1幢", "1 栋"])
def test_a_building_named_where_its_id_is_asked_is_given_its_id(site: Site, written: str) -> None:
    path = site.estate / "votes.yaml"
    text = path.read_text(encoding="utf-8")
    assert "buildings: [b1]" in text
    path.write_text(text.replace("buildings: [b1]", f"buildings: [{written}]", 1), "utf-8")
    said = [d.message for d in site.check() if d.code == "I001"]
    assert len(said) == 1
    assert f"“{written}”是楼幢“1号楼”吧？这里要写楼幢的编号，请写成 b1" in said[0]


@pytest.mark.parametrize(("spaces", "column"), [(3, 4), (5, 6)])
def test_a_key_indented_to_no_column_above_is_named_with_its_neighbours_column(
    site: Site, spaces: int, column: int
) -> None:
    path = site.estate / "estate.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("name: 2号楼"))
    assert lines[at].startswith("    name:")  # under "  - id: b2", at column 5
    lines[at] = " " * spaces + lines[at].strip()
    path.write_text("\n".join(lines), encoding="utf-8")
    (said,) = [d.format() for d in site.check() if d.code == "L001"]
    assert said == (
        f"content/x/estate.yaml:{at + 1}:{column}: L001 错误: 第 {at + 1} 行的缩进和上面的键没有对齐：它从第 {column} 列开始，上一个键从第 5 列开始。同一层的键要从同一列开始，请增减空格对齐"
    )


def test_a_file_named_in_chinese_is_shown_the_name_in_pinyin_to_write(site: Site) -> None:
    notice = sorted((site.estate / "notices").glob("*.md"))[0]
    notice.rename(notice.with_name("停车费调整.md"))
    (said,) = [d.format() for d in site.check() if d.code == "I001"]
    assert said == (
        "content/x/notices/停车费调整.md:1:1: I001 错误: 文件名“停车费调整”不能作编号，这个文件没有读取："
        "文件名只用小写字母 a-z、数字 0-9 和 -，例如 ting-che-fei-tiao-zheng.md"
    )


@pytest.mark.parametrize("written", ["户数", "hushu", "hs"])
def test_a_key_written_in_chinese_or_pinyin_is_given_its_english_name(
    site: Site, written: str
) -> None:
    path = site.estate / "estate.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    households: 160", f"    {written}: 160", 1), "utf-8")
    said = [d.message for d in site.check() if d.code == "S002"]
    assert said == [f"buildings[0].{written}：字段名要写英文：“{written}”请写成“households”"]


def test_an_unknown_key_lists_what_may_be_written_with_each_ones_meaning(site: Site) -> None:
    path = site.estate / "estate.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    households: 160", "    zzz: 160", 1), "utf-8")
    (said,) = [d.message for d in site.check() if d.code == "S002"]
    assert said.startswith(
        "buildings[0].zzz：没有“zzz”这个字段；这里可以写的字段有：id（楼幢编号）、"
    )
    assert "households（户数）" in said
