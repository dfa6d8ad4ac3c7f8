"""The one table of input sheets and their columns (SPEC §3).

The reader, the blank template and the roster writer all take sheet and column
names from here, so a header the template writes is always one the reader accepts.
Every sheet and column has a Chinese and an English name; either is accepted,
case-, width- and whitespace-insensitively (see :func:`norm`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Separators between the values of a multi-valued cell (SPEC §3). The full-width
#: slash is included because clerks type it as readily as the half-width one.
MULTI_SEPARATORS = ("、", ",", "，", ";", "；", "/", "／", "\n")
_SPLIT_RE = re.compile(r"[、,，;；/／\r\n]+")

# Whitespace, underscores and hyphens carry no meaning in a header or sheet name:
# "Cadre ID", "cadre_id" and "cadreid" are the same column.
_NAME_NOISE_RE = re.compile(r"[\s_\-]+")


def norm(name: str) -> str:
    """Normalise a sheet name or header for matching: NFKC, no spaces, lower case."""
    return _NAME_NOISE_RE.sub("", unicodedata.normalize("NFKC", name)).lower()


def split_multi(text: str) -> tuple[str, ...]:
    """Split a multi-valued cell; trims each value, drops empties and repeats, keeps order."""
    out: list[str] = []
    for part in _SPLIT_RE.split(text):
        value = part.strip()
        if value and value not in out:
            out.append(value)
    return tuple(out)


@dataclass(frozen=True)
class Column:
    """One column of an input sheet."""

    key: str  # english key, also the field name in models.py
    zh: str  # Chinese header, what the template writes
    en: str  # English header
    required: bool = False
    multi: bool = False  # several values in one cell
    help: str = ""  # Chinese description for the instructions sheet
    #: ids are text: the template formats the column as text so Excel keeps 001
    text: bool = False

    def names(self) -> frozenset[str]:
        return frozenset({norm(self.zh), norm(self.en), norm(self.key)})


@dataclass(frozen=True)
class Sheet:
    """One input sheet (or CSV file) and its columns, in template order."""

    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    required: bool = False
    help: str = ""

    def names(self) -> frozenset[str]:
        return frozenset({norm(self.zh), norm(self.en), norm(self.key)})

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def match_column(self, header: str) -> Column | None:
        """The column a header as written stands for, or None for an unknown header."""
        wanted = norm(header)
        if not wanted:
            return None
        for col in self.columns:
            if wanted in col.names():
                return col
        return None

    def header_names(self) -> list[str]:
        """All accepted header spellings, for did-you-mean suggestions."""
        out: list[str] = []
        for col in self.columns:
            out.extend([col.zh, col.en])
        return out


_PLACE_HELP = "地名，可写多个；写到县区或乡镇，如 漳州市漳浦县、漳浦县旧镇镇"

CADRES = Sheet(
    key="cadres",
    zh="干部",
    en="cadres",
    required=True,
    help="巡察干部名单，每人一行。",
    columns=(
        Column("id", "编号", "id", required=True, text=True, help="干部唯一编号，如 001"),
        Column("name", "姓名", "name", required=True, help="姓名"),
        Column("gender", "性别", "gender", required=True, help="男 或 女（也可写 M/F）"),
        Column("county", "所属县区", "county", required=True, help="干部所属的县区干部库（推磨式按此成建制派出）"),
        Column("unit", "单位职务", "unit", help="单位及职务，印在名单上"),
        Column("rank", "职级", "rank", help="如 正处、副处、正科、副科、科员（顺序可在规则中设置）"),
        Column(
            "roles", "可任角色", "roles", multi=True, help="组长、副组长、联络员、组员 中的一个或多个；空表示只任组员"
        ),
        Column("skills", "专长", "skills", multi=True, help="如 纪检监察、组织、政法、审计、财务"),
        Column("department", "部门类别", "department", help="用于同一部门异地交叉匹配"),
        Column("residence", "居住地", "residence", multi=True, help=f"居住地（四回避）。{_PLACE_HELP}"),
        Column("workplace", "工作地", "workplace", multi=True, help=f"工作地（四回避）。{_PLACE_HELP}"),
        Column("postings", "任职地", "postings", multi=True, help=f"历任职务所在地（四回避）。{_PLACE_HELP}"),
        Column("upbringing", "成长地", "upbringing", multi=True, help=f"出生地及成长地（四回避）。{_PLACE_HELP}"),
        Column(
            "conflicts", "回避", "conflicts", multi=True, help="其他需回避的巡察对象编号、单位或地名（如配偶工作单位）"
        ),
        Column("available", "可用", "available", help="是 或 否；空表示是"),
    ),
)

TARGETS = Sheet(
    key="targets",
    zh="巡察对象",
    en="targets",
    required=True,
    help="本轮巡察对象，每个对象组成一个巡察组。",
    columns=(
        Column("id", "编号", "id", required=True, text=True, help="巡察对象唯一编号"),
        Column("name", "名称", "name", required=True, help="如 漳浦县 或 漳浦县民政局"),
        Column("location", "所在地", "location", required=True, help="巡察对象所在的县区或乡镇"),
        Column("size", "人数", "size", help="该组人数（含组长），正整数；空表示按规则"),
        Column("skills", "所需专长", "skills", multi=True, help="该组另外需要的专长"),
        Column("department", "部门类别", "department", help="用于同一部门异地交叉匹配"),
    ),
)

HISTORY = Sheet(
    key="history",
    zh="往轮记录",
    en="history",
    help="往轮巡察记录（可选），用于不重复派往同一地方、末位处理和推磨方向不重复。",
    columns=(
        Column("round", "轮次", "round", required=True, text=True, help="轮次，如 2023年第一轮"),
        Column("cadre_id", "干部编号", "cadre_id", required=True, text=True, help="干部编号，须与「干部」表一致"),
        Column("place", "巡察地", "place", required=True, help="该轮巡察的地方"),
        Column("role", "角色", "role", help="该轮担任的角色：组长、副组长、联络员、组员"),
        Column("last_ranked", "末位", "last_ranked", help="组长在该轮质量评估中是否末位：是 或 否"),
        Column("from_county", "来源县区", "from_county", help="该轮从哪个县区派出（推磨方向）"),
    ),
)

PLACES = Sheet(
    key="places",
    zh="地名",
    en="places",
    help="本单位补充的地名（可选）：乡镇、单位、更名的县区（如 龙海市→龙海区）。",
    columns=(
        Column("name", "地名", "name", required=True, help="地名"),
        Column("parent", "上级", "parent", help="上级地名，如 漳浦县"),
        Column("aliases", "别名", "aliases", multi=True, help="其他写法或旧名"),
    ),
)

DECISIONS = Sheet(
    key="decisions",
    zh="人工决定",
    en="decisions",
    help="领导小组的人工决定（可选），作为硬性规则执行并在审查表中列明。",
    columns=(
        Column(
            "kind",
            "类型",
            "kind",
            required=True,
            help="指定（该干部进入该巡察对象的组）、禁配（两人不同组）、不可用（本轮不抽）",
        ),
        Column("cadre_id", "干部编号", "cadre_id", required=True, text=True, help="干部编号"),
        Column("target_id", "巡察对象编号", "target_id", text=True, help="指定时必填：巡察对象编号"),
        Column("role", "角色", "role", help="指定时可填：担任的角色，如 组长"),
        Column(
            "other_cadre_id", "另一干部编号", "other_cadre_id", text=True, help="禁配时必填：不得同组的另一干部编号"
        ),
        Column("note", "说明", "note", help="决定依据等说明"),
    ),
)

RULES = Sheet(
    key="rules",
    zh="规则",
    en="rules",
    help="本轮规则（可选），每行一项；命令行 --rules 文件和选项优先。",
    columns=(
        Column(
            "key",
            "键",
            "key",
            required=True,
            help="规则项名称，中文或英文均可，如 编组方式（mode）、每组人数（team_size）",
        ),
        Column("value", "值", "value", help="取值，如 推磨式、5-7、纪检监察1人、财务1人、是、正科"),
        Column("note", "说明", "note", help="备注"),
    ),
)

#: Input sheets in template order.
SHEETS: tuple[Sheet, ...] = (CADRES, TARGETS, HISTORY, PLACES, DECISIONS, RULES)

#: The template's instructions sheet; the reader skips it without a warning.
INSTRUCTIONS_ZH = "说明"
INSTRUCTIONS_EN = "instructions"


def match_sheet(name: str) -> Sheet | None:
    """The input sheet a sheet (or CSV file) name stands for, or None."""
    wanted = norm(name)
    for sheet in SHEETS:
        if wanted in sheet.names():
            return sheet
    return None


def is_instructions(name: str) -> bool:
    return norm(name) in {norm(INSTRUCTIONS_ZH), norm(INSTRUCTIONS_EN)}
