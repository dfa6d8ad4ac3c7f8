"""Rules in Chinese (issue 18, SPEC §3.2): Chinese keys and values on the 规则 sheet and in the
TOML file, GB18030 files, messages naming the written key and its place, and the words the
roster prints reading back to the same rules."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossinspect.domain.errors import InputError, Issue
from crossinspect.domain.rule_words import RULE_NAMES_ZH, english_key, read_value, value_in_words
from crossinspect.domain.rules import RULE_KEYS, Rules, describe_rules, placeholder_title
from crossinspect.io.load import load_problem
from crossinspect.io.rules_reader import merge_rules, parse_sheet_rows, read_rules_toml
from crossinspect.workflows.round import solve
from factories import run_cli

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"

#: SPEC §3.2, as the table prints it.
SPEC_KEYS = {
    "title": "标题",
    "mode": "编组方式",
    "level": "回避层级",
    "team_size": "每组人数",
    "leaders": "组长人数",
    "deputies": "副组长人数",
    "liaisons": "联络员人数",
    "local_roles": "本地担任角色",
    "leader_min_rank": "组长最低职级",
    "rank_order": "职级顺序",
    "required_skills": "必备专长",
    "max_from_same_county": "同一县区最多人数",
    "min_women": "女干部最少人数",
    "single_cycle": "单一循环",
    "forbid_reciprocal": "禁止互派",
    "history_rounds": "回看轮数",
    "seed": "抽签种子",
    "time_limit": "时限",
    "effort": "搜索工作量",
    "coarse_places": "粗略地名",
    "region": "所属地区",
    "issuer": "落款单位",
    "date": "成文日期",
}


def sheet(*rows: tuple[str, str]) -> dict[str, Any]:
    return parse_sheet_rows(tuple((k, v, n) for n, (k, v) in enumerate(rows, start=2)), file="in.xlsx")


def problems(*layers: dict[str, Any]) -> list[Issue]:
    with pytest.raises(InputError) as info:
        merge_rules(*layers, file="rules.toml")
    return info.value.issues


def test_every_spec_key_has_its_chinese_name() -> None:
    """Each key of SPEC §3.2 is named as the SPEC names it, and reads back to its English key."""
    for key, zh in SPEC_KEYS.items():
        assert RULE_NAMES_ZH[key] == zh
        assert english_key(zh) == key
    assert english_key("权重.均衡") == "weights.balance"
    assert set(RULE_KEYS) <= set(RULE_NAMES_ZH)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ((("编组方式", "推磨式"),), {"mode": "rotation"}),
        ((("编组方式", "混编"),), {"mode": "mixed"}),
        ((("回避层级", "乡镇级"),), {"level": "township"}),
        ((("每组人数", "6"),), {"team_size": (6, 6)}),
        ((("每组人数", "5-7"),), {"team_size": (5, 7)}),
        ((("每组人数", "5至7"),), {"team_size": (5, 7)}),
        ((("每组人数", "５～７人"),), {"team_size": (5, 7)}),
        ((("副组长人数", "1-2"),), {"deputies": (1, 2)}),
        ((("联络员人数", "1-1"),), {"liaisons": (1, 1)}),
        ((("组长人数", "1"),), {"leaders": 1}),
        ((("本地担任角色", "副组长、联络员"),), {"local_roles": frozenset({"deputy", "liaison"})}),
        ((("组长最低职级", "正科"),), {"leader_min_rank": "正科"}),
        ((("职级顺序", "正处、副处、正科"),), {"rank_order": ("正处", "副处", "正科")}),
        ((("必备专长", "纪检监察1人、财务1人"),), {"required_skills": {"纪检监察": 1, "财务": 1}}),
        ((("必备专长", "纪检监察2人，审计"),), {"required_skills": {"纪检监察": 2, "审计": 1}}),
        ((("同一县区最多人数", "2"),), {"max_from_same_county": 2}),
        ((("女干部最少人数", "1人"),), {"min_women": 1}),
        ((("单一循环", "是"),), {"single_cycle": True}),
        ((("禁止互派", "否"),), {"forbid_reciprocal": False}),
        ((("回看轮数", "0"),), {"history_rounds": 0}),
        ((("回看轮数", "2轮"),), {"history_rounds": 2}),
        ((("时限", "90"),), {"time_limit": 90.0}),
        ((("时限", "2分钟"),), {"time_limit": 120.0}),
        ((("粗略地名", "视为冲突"),), {"coarse_places": "conflict"}),
        ((("粗略地名", "人工核实"),), {"coarse_places": "review"}),
        ((("所属地区", "福建省龙岩市"),), {"region": "福建省龙岩市"}),
        ((("落款单位", "中共漳州市委巡察工作领导小组办公室"),), {"issuer": "中共漳州市委巡察工作领导小组办公室"}),
        ((("成文日期", "2025年3月1日"),), {"date": "2025年3月1日"}),
        ((("成文日期", "2025-03-01"),), {"date": "2025年3月1日"}),  # a date cell
        ((("权重.均衡", "4"),), {"weights": {"balance": 4}}),
    ],
)
def test_sheet_reads_chinese_keys_and_values(rows: tuple[tuple[str, str], ...], expected: dict[str, Any]) -> None:
    """Each Chinese key and value of SPEC §3.2 on the 规则 sheet gives the rule the English one does."""
    rules = merge_rules(sheet(*rows))
    for key, value in expected.items():
        got = getattr(rules, key)
        if key == "weights":
            assert got.model_dump().items() >= value.items()
        elif key == "local_roles":
            assert {r.value for r in got} == value
        else:
            assert got == value, key


def test_toml_file_with_bare_chinese_keys_in_gb18030(tmp_path: Path) -> None:
    """A rules file in GB18030 with bare Chinese keys, words as values and a [权重] table reads as
    its English twin."""
    zh = (
        '# 龙岩市委第二轮交叉巡察\n标题 = "龙岩市委第二轮交叉巡察"\n编组方式 = "混编"\n每组人数 = "5至6"\n'
        '本地担任角色 = ["副组长", "联络员"]\n联络员人数 = "1-1"\n必备专长 = "纪检监察1人、财务1人"\n'
        '女干部最少人数 = 1\n单一循环 = "否"\n\n[权重]\n均衡 = 8\n'
    )
    en = (
        'title = "龙岩市委第二轮交叉巡察"\nmode = "mixed"\nteam_size = [5, 6]\nlocal_roles = ["副组长", "联络员"]\n'
        'liaisons = [1, 1]\nrequired_skills = { "纪检监察" = 1, "财务" = 1 }\nmin_women = 1\n'
        "single_cycle = false\n\n[weights]\nbalance = 8\n"
    )
    (tmp_path / "zh.toml").write_bytes(zh.encode("gb18030"))
    (tmp_path / "en.toml").write_text(en, encoding="utf-8")
    (tmp_path / "zh16.toml").write_bytes(zh.encode("utf-16"))  # with its byte order mark
    expected = merge_rules(read_rules_toml(tmp_path / "en.toml"))
    assert merge_rules(read_rules_toml(tmp_path / "zh.toml")) == expected
    assert merge_rules(read_rules_toml(tmp_path / "zh16.toml")) == expected


def test_errors_name_the_written_key_and_its_line(tmp_path: Path) -> None:
    """A bad Chinese value is reported at its TOML line and by the key as written, in both languages."""
    path = tmp_path / "规则.toml"
    path.write_text('标题 = "漳州市委第四轮交叉巡察"\n每组人数 = "7至5"\n编组方式 = "循环"\n', encoding="utf-8")
    found = problems(read_rules_toml(path))
    assert sorted(i.row for i in found) == [2, 3]
    by_row = {i.row: i for i in found}
    assert "每组人数" in by_row[2].zh and "team_size" in by_row[2].en and "须满足" in by_row[2].zh
    assert "编组方式" in by_row[3].zh and "推磨式" in by_row[3].zh and "mixed" in by_row[3].en
    assert all(i.file == str(path) for i in found)


def test_sheet_errors_are_chinese_and_name_the_row() -> None:
    """Every rules error from the sheet is in Chinese, at the row and column of the value."""
    for rows in [
        (("单一循环", "也许"),),
        (("每组人数", "7至5"),),
        (("本地担任角色", "组长"),),
        (("本地担任角色", "队长"),),
        (("必备专长", "：1"),),
        (("组长最低职级", "正厅"),),
        (("职级顺序", "正处、正处"),),
    ]:
        (issue,) = problems(sheet(("标题", "漳州市委第四轮交叉巡察"), *rows))
        assert (issue.file, issue.sheet, issue.row, issue.column) == ("in.xlsx", "规则", 3, "值"), rows
        assert rows[0][0] in issue.zh
        assert not any(word in issue.zh for word in ("must", "Value error", "range [", "not in")), issue.zh


def test_unknown_and_repeated_chinese_keys() -> None:
    """An unknown Chinese key suggests the close Chinese name; a key written twice is refused."""
    with pytest.raises(InputError) as info:
        sheet(("编组模式", "推磨式"))
    (issue,) = info.value.issues
    assert issue.code == "unknown-rule" and "编组方式" in issue.suggestions and issue.row == 2
    with pytest.raises(InputError) as info:
        sheet(("编组方式", "推磨式"), ("mode", "mixed"))
    (issue,) = info.value.issues
    assert issue.code == "duplicate-rule" and issue.row == 3 and "编组方式" in issue.zh


@pytest.mark.parametrize(
    ("key", "value"),
    [("time_limit", "60"), ("single_cycle", "yes"), ("single_cycle", 1), ("leaders", "1"), ("team_size", "6")],
)
def test_words_do_not_loosen_strict_types(key: str, value: Any) -> None:
    """Only words are converted: text for a number and numbers for 是/否 stay errors."""
    found = problems({key: value})
    assert found and all(i.code == "bad-rule" and key in i.en for i in found)


@pytest.mark.parametrize(
    "rules",
    [
        Rules(),
        Rules(
            mode="mixed",
            team_size=(5, 6),
            deputies=(1, 2),
            liaisons=(1, 1),
            local_roles=frozenset({"deputy"}),
            required_skills={"纪检监察": 1, "财务": 2},
            min_women=1,
            single_cycle=False,
            history_rounds=3,
            time_limit=12.5,
            workers=2,
            coarse_places="review",
            region="福建省龙岩市",
            leader_min_rank="正科",
            issuer="中共龙岩市委巡察办",
            date="2025年3月1日",
            strict=True,
        ),
    ],
    ids=["defaults", "everything-set"],
)
def test_words_read_back_to_the_same_rules(rules: Rules) -> None:
    """What 运行信息 prints for each rule (in words) reads back, on a 规则 sheet, to the same rules."""
    data = rules.model_dump(mode="json")
    rows = []
    for key, value in data.items():
        if key == "weights":
            rows += [(f"权重.{k}", value_in_words(f"weights.{k}", v)) for k, v in value.items()]
        elif key == "title":
            rows.append(("标题", value))
        else:
            words = value_in_words(key, value)
            assert not any(mark in words for mark in ('["', "{", "true", "false")), words
            rows.append((RULE_NAMES_ZH[key], words))
    assert merge_rules(sheet(*rows)) == rules


def test_read_value_leaves_what_is_not_words() -> None:
    """A value that is not written in words is handed on unchanged, for validation to judge."""
    for key, value in [("mode", "round-robin"), ("team_size", [5, 7]), ("time_limit", "soon"), ("seed", 7)]:
        assert read_value(key, value) == value


def test_placeholder_titles() -> None:
    """A missing title and the 某市委 placeholder are placeholders; a real title is not."""
    assert placeholder_title("") and placeholder_title("某市委第四轮交叉巡察") and placeholder_title("××县委第二轮巡察")
    assert not placeholder_title("漳州市委第四轮交叉巡察")


def test_placeholder_title_is_a_warning_at_its_cell(tmp_path: Path) -> None:
    """load_problem warns about a placeholder title where it was written; a real title, no warning."""
    book = _with_rules_sheet(tmp_path, [("标题", "某市委第四轮交叉巡察")])
    problem = load_problem(book)
    (warning,) = [w for w in problem.warnings if w.code == "placeholder-title"]
    assert (warning.sheet, warning.row, warning.column) == ("规则", 2, "值")
    rules = EXAMPLES / "rotation" / "rules.toml"
    assert not [
        w
        for w in load_problem(EXAMPLES / "rotation" / "input.xlsx", rules_file=rules).warnings
        if w.code == "placeholder-title"
    ]


def test_rules_command_and_template_list_both_names(tmp_path: Path) -> None:
    """`crossinspect rules` and the template's instructions list the Chinese and the English key."""
    code, text = run_cli("rules")
    assert code == 0
    for doc in describe_rules():
        assert doc.zh in text and doc.key in text
    out = tmp_path / "模板.xlsx"
    assert run_cli("template", out)[0] == 0
    cells = {str(c.value) for row in openpyxl.load_workbook(out)["说明"].iter_rows() for c in row if c.value}
    for doc in describe_rules():
        assert doc.zh in cells and doc.key in cells


def _with_rules_sheet(tmp_path: Path, rows: list[tuple[str, str]], name: str = "rotation") -> Path:
    book = tmp_path / f"{name}.xlsx"
    shutil.copy(EXAMPLES / name / "input.xlsx", book)
    wb = openpyxl.load_workbook(book)
    ws = wb.create_sheet("规则")
    ws.append(["键", "值", "说明"])
    for key, value in rows:
        ws.append([key, value, ""])
    wb.save(book)
    return book


def test_chinese_rules_sheet_gives_the_same_roster_as_the_toml_file(tmp_path: Path) -> None:
    """The rotation example with its rules as a Chinese 规则 sheet is solved to the same roster,
    seat for seat, as with rules.toml."""
    book = _with_rules_sheet(
        tmp_path,
        [
            ("标题", "漳州市委第四轮交叉巡察"),
            ("编组方式", "推磨式"),
            ("回避层级", "县级"),
            ("每组人数", "5-7"),
            ("副组长人数", "1"),
            ("组长最低职级", "正科"),
            ("必备专长", "纪检监察1人"),
            ("抽签种子", "20261122"),
            ("时限", "30秒"),
            ("落款单位", "中共漳州市委巡察工作领导小组办公室"),
            ("成文日期", "2026年11月22日"),
        ],
    )
    from_sheet = load_problem(book)
    from_toml = load_problem(EXAMPLES / "rotation" / "input.xlsx", rules_file=EXAMPLES / "rotation" / "rules.toml")
    assert from_sheet.rules == from_toml.rules
    a, b = solve(from_sheet, explain=False), solve(from_toml, explain=False)
    assert a.plan is not None and b.plan is not None
    assert sorted(a.plan.seats(), key=repr) == sorted(b.plan.seats(), key=repr)
