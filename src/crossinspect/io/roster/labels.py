"""The roster's fixed names (SPEC §5), its column headers in both languages, and how it
names teams and roles."""

from __future__ import annotations

from ...domain.models import Role
from ...domain.plan import Team

# ---- fixed names (SPEC §5) -------------------------------------------------------------

SHEET_OVERVIEW = "总表"
SHEET_AUDIT = "回避审查"
SHEET_ROTATION = "轮换"
SHEET_RUN = "运行信息"
SHEET_ASSIGNMENTS = "assignments"
SHEET_CHANGES = "变更"  # replan: who left, who came in, who moved
SHEET_ALTERNATES = "备选"  # ranked, verified alternates per seat
SHEET_DECISIONS = "人工决定"  # pins, bans and who is not drawn (R9), with their notes
SHEET_VIOLATIONS = "校验结果"  # render: the rules a hand-edited plan breaks
ASSIGNMENT_HEADERS: tuple[str, ...] = ("team_id", "target_id", "cadre_id", "role")
#: Item of the 运行信息 row holding the digest of the seats as written (both languages).
DIGEST_ITEMS = ("名单校验码", "Roster digest")
#: Item of the 运行信息 row saying the roster was edited by hand (both languages), and its
#: value's first word when it was.
HAND_EDIT_ITEMS = ("人工调整", "Hand-edited")
HAND_EDIT_YES = ("是", "yes")

LANGS = ("zh", "en")

_ROLE_EN = {Role.LEADER: "Leader", Role.DEPUTY: "Deputy leader", Role.LIAISON: "Liaison", Role.MEMBER: "Member"}

_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "overview": {
        "zh": ("组别", "巡察对象", "所在地", "组长", "副组长", "联络员", "组员", "人数"),
        "en": ("Team", "Target", "Location", "Leader", "Deputy leader", "Liaison", "Members", "Size"),
    },
    "team": {
        "zh": ("序号", "姓名", "性别", "组内职务", "单位职务", "所属县区", "专长"),
        "en": ("No.", "Name", "Gender", "Role", "Unit and post", "County", "Skills"),
    },
    "audit": {
        "zh": ("组别", "姓名", "组内职务", "巡察地", "居住地", "工作地", "任职地", "成长地", "回避", "结论"),
        "en": (
            "Team",
            "Name",
            "Role",
            "Inspected place",
            "Residence",
            "Workplace",
            "Postings",
            "Upbringing",
            "Declared conflicts",
            "Conclusion",
        ),
    },
    "rotation": {
        "zh": ("序号", "派出县区", "接收县区", "巡察对象"),
        "en": ("No.", "Sending county", "Receiving county", "Targets"),
    },
    "run": {
        "zh": ("项目", "内容", "说明"),
        "en": ("Item", "Value", "Meaning"),
    },
    "changes": {
        "zh": ("序号", "变更", "姓名", "所属县区", "原组别及职务", "现组别及职务"),
        "en": ("No.", "Change", "Name", "County", "Before", "After"),
    },
    "decisions": {
        "zh": ("序号", "类型", "姓名", "所属县区", "决定内容", "说明"),
        "en": ("No.", "Kind", "Name", "County", "Decision", "Note"),
    },
    "alternates": {
        "zh": ("组别", "组内职务", "现任", "备选一", "备选二", "备选三"),
        "en": ("Team", "Role", "Holder", "Alternate 1", "Alternate 2", "Alternate 3"),
    },
    "violations": {
        "zh": ("序号", "规则", "组别", "说明"),
        "en": ("No.", "Rule", "Team", "Finding"),
    },
}

_CN_DIGITS = "零一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """Chinese numeral as used in team names: 1 → 一, 10 → 十, 12 → 十二, 105 → 一百零五."""
    if n < 0:
        return "负" + cn_numeral(-n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n - 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _CN_DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _CN_DIGITS[rest]
        if rest < 20:
            return head + "一" + cn_numeral(rest)  # 一百一十二, not 一百十二
        return head + cn_numeral(rest)
    return str(n)


def team_number(team: Team, position: int) -> int:
    """The team's number on the roster: its id when numeric, else its 1-based position."""
    return int(team.team_id) if team.team_id.isdigit() else position + 1


def team_sheet_name(number: int) -> str:
    """第一组, 第二组 …: the sheet of a team, the same in both languages."""
    return f"第{cn_numeral(number)}组"


def team_label(number: int, lang: str) -> str:
    return team_sheet_name(number) if lang == "zh" else f"Team {number}"


def role_label(role: Role, lang: str) -> str:
    return role.zh if lang == "zh" else _ROLE_EN[role]
