"""运行信息: input checksum, commitment, seed, solver report, versions and every rule in force
(io/run_record.py adds the hidden record ``verify --reproduce`` reads)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from ...domain.commitment import short
from ...domain.plan import Status
from ...domain.rule_words import value_in_words, zh_name
from ...domain.rules import RULE_HELP, Weights
from ...domain.versions import distribution_version
from ..run_record import run_record
from ..sheet_style import _LEFT, _t
from .labels import _HEADERS, DIGEST_ITEMS, HAND_EDIT_ITEMS
from .seats import plan_digest
from .writer import RosterWriter


class RunInfoSheet(RosterWriter):
    """运行信息, the part people read."""

    def run_info(self, ws: Worksheet) -> None:
        headers = _HEADERS["run"][self.lang]
        hrow = self.heading(ws, len(headers), _t(self.lang, "运行信息", "Run information"))
        self.header_row(ws, hrow, headers)
        lang = self.lang
        rows: list[tuple[str, Any, str]] = []
        book = self.p.book
        s = self.solve
        rows.append((_t(lang, "标题", "Title"), self.title, ""))
        if self.extras.relaxed is not None:
            rows += self.extras.relaxed.rows(lang)
        rows.append((_t(lang, "输入文件", "Input file"), Path(book.path).name, ""))
        rows.append(("SHA-256", book.sha256, _t(lang, "输入文件校验值", "checksum of the input")))
        record = run_record(self.p, s)
        rows.append(
            (
                _t(lang, "承诺值", "Commitment"),
                short(record["commitment"]),
                _t(
                    lang,
                    f"输入与规则（种子除外）的SHA-256，抽签前公布：{record['commitment']}",
                    f"SHA-256 of the input and the rules but the seed, published before the draw: "
                    f"{record['commitment']}",
                ),
            )
        )
        rows.append(
            (
                _t(lang, "抽签种子", "Lottery seed"),
                record["seed"],
                _t(
                    lang,
                    f"原样记录；其SHA-256：{record['seed_sha256']}",
                    f"as given; its SHA-256: {record['seed_sha256']}",
                ),
            )
        )
        if s is not None:
            rows.append(
                (
                    _t(lang, "搜索工作量", "Search effort"),
                    f"{s.effort_used:g} / {s.effort:g}",
                    _t(
                        lang,
                        "已用 / 规定，确定性计时单位；决定名单的是工作量而非时间",
                        "used / given, in deterministic units: the effort, not the time, decides the roster",
                    ),
                )
            )
            if s.reproducible:
                rows.append(
                    (
                        _t(lang, "可复现", "Reproducible"),
                        _t(lang, "是", "yes"),
                        _t(
                            lang,
                            "同一输入、规则、种子、工作量和软件版本，在任何电脑上得到同一名单；"
                            "可用 crossinspect verify --reproduce 复核",
                            "the same input, rules, seed, effort and software versions give this roster on "
                            "any machine; check with crossinspect verify --reproduce",
                        ),
                    )
                )
            else:
                rows.append(
                    (
                        _t(lang, "可复现", "Reproducible"),
                        _t(lang, "不可复现", "not reproducible"),
                        s.not_reproducible_zh if lang == "zh" else s.not_reproducible_en,
                    )
                )
        if s is not None:
            rows.append((_t(lang, "求解状态", "Solver status"), _status(s.status, lang), ""))
            rows.append(
                (
                    _t(lang, "目标值", "Objective"),
                    _blank(s.objective),
                    _t(lang, "越小越好，为各目标项加权之和", "lower is better; sum of terms"),
                )
            )
            for term in s.terms:
                rows.append(
                    (
                        _t(lang, f"目标项：{term.zh}", f"Term: {term.name}"),
                        f"{term.value} × {term.weight} = {term.weighted}",
                        _t(lang, "取值 × 权重 = 加权值", "value × weight = weighted"),
                    )
                )
            rows.append((_t(lang, "下界", "Bound"), _blank(s.bound), ""))
            rows.append((_t(lang, "差距", "Gap"), "—" if s.gap is None else f"{s.gap * 100:.1f}%", ""))
            rows.append((_t(lang, "用时（秒）", "Runtime (s)"), round(s.runtime, 2), ""))
            rows.append((_t(lang, "求解线程数", "Workers"), s.workers, ""))
            rows.append((_t(lang, "抽签值", "Lottery value"), _blank(s.lottery), ""))
            rows.append(
                (
                    _t(lang, "抽签已最优", "Lottery optimal"),
                    _t(lang, "是" if s.lottery_optimal else "否", "yes" if s.lottery_optimal else "no"),
                    _t(
                        lang,
                        "同分名单中按种子抽取的结果是否已证明",
                        "whether the seeded draw among equal rosters is proven",
                    ),
                )
            )
        elif self.extras.hand_edit is not None:
            hand = self.extras.hand_edit
            rows.append(
                (
                    _t(lang, "求解状态", "Solver status"),
                    _t(
                        lang,
                        f"未求解（由「{hand.source}」重新生成）",
                        f"not solved here (rewritten from {hand.source})",
                    ),
                    "",
                )
            )
            rows.append(
                (
                    _t(lang, *HAND_EDIT_ITEMS),
                    _t(lang, "是" if hand.edited else "否", "yes" if hand.edited else "no"),
                    _t(lang, "名单的席位与抽签写出时不同", "the seats differ from the roster the draw wrote"),
                )
            )
            rows.append((_t(lang, "独立校验", "Independent check"), self.check_verdict(), ""))
        else:
            rows.append(
                (
                    _t(lang, "求解状态", "Solver status"),
                    _t(lang, "未求解（由已有名单写出）", "not solved here (plan given)"),
                    "",
                )
            )
        rows.append(("crossinspect", distribution_version("crossinspect"), ""))
        rows.append(("OR-Tools", distribution_version("ortools"), ""))
        sanctions = dict(self.p.sanctions)
        extra = s.sanctions if s is not None else ()
        listed = {x.cadre_id for x in sanctions.values()}
        reasons = [*sanctions.values(), *(x for x in extra if x.cadre_id not in listed)]
        if reasons:
            for x in reasons:
                rows.append(
                    (
                        _t(lang, "质量评估（R8）", "Sanction (R8)"),
                        f"{self.name(x.cadre_id)}（{x.cadre_id}）"
                        if lang == "zh"
                        else f"{self.name(x.cadre_id)} ({x.cadre_id})",
                        x.zh if lang == "zh" else x.en,
                    )
                )
        else:
            rows.append((_t(lang, "质量评估（R8）", "Sanctions (R8)"), _t(lang, "无", "none"), ""))
        rows.append(
            (
                _t(lang, *DIGEST_ITEMS),
                plan_digest(self.plan.seats()),
                _t(
                    lang,
                    "名单席位的校验值；复核时用于判断手工修改的是哪一处",
                    "checksum of the seats; tells verify which copy was edited by hand",
                ),
            )
        )
        rows.append(
            (
                _t(lang, "输入警告", "Input warnings"),
                len(self.p.warnings),
                _t(lang, "条，详见 check 命令输出", "see the output of `check`"),
            )
        )
        rows.extend(self.rule_rows())
        row = hrow
        for item, value, meaning in rows:
            row += 1
            if isinstance(value, bool):  # printed in words, never as true/false
                value = _t(lang, "是" if value else "否", "yes" if value else "no")
            self.put(ws, row, 1, item, align=_LEFT)
            self.put(ws, row, 2, value, align=_LEFT)
            self.put(ws, row, 3, meaning, align=_LEFT)
        self.fit_rows(ws, hrow, self.fit(ws, hrow, (28, 42, 50)), minimum=18)
        self.page(ws, landscape=False, title_rows=f"1:{hrow}")

    def rule_rows(self) -> list[tuple[str, Any, str]]:
        """Every rule in force, one row per key, in words (推磨式, 5至7人, 是) that a 规则 sheet reads back."""
        out: list[tuple[str, Any, str]] = []
        data = self.p.rules.model_dump(mode="json")
        weights = data.pop("weights")
        for key, value in data.items():
            zh, en = RULE_HELP.get(key, ("", ""))
            out.append(
                (
                    _t(self.lang, f"规则：{zh_name(key)}", f"Rule: {key}"),
                    value_in_words(key, value, self.lang),
                    zh if self.lang == "zh" else en,
                )
            )
        for key, value in weights.items():
            desc = Weights.model_fields[key].description or ""
            out.append(
                (
                    _t(self.lang, f"规则：{zh_name(f'weights.{key}')}", f"Rule: weights.{key}"),
                    value_in_words(f"weights.{key}", value, self.lang),
                    desc if self.lang == "zh" else f"soft-goal weight: {key}",
                )
            )
        return out


def _blank(value: Any) -> Any:
    return "—" if value is None else value


_STATUS_ZH = {
    Status.OPTIMAL: "最优（已证明）",
    Status.FEASIBLE: "可行（时限内未证明最优）",
    Status.INFEASIBLE: "无解",
    Status.UNKNOWN: "未知（时限内未找到）",
    Status.INTERRUPTED: "已中断（目前最好的名单）",
}
_STATUS_EN = {
    Status.OPTIMAL: "optimal (proven)",
    Status.FEASIBLE: "feasible (optimality not proven in the time limit)",
    Status.INFEASIBLE: "infeasible",
    Status.UNKNOWN: "unknown (nothing found in the time limit)",
    Status.INTERRUPTED: "interrupted (best roster so far)",
}


def _status(status: Status, lang: str) -> str:
    return (_STATUS_ZH if lang == "zh" else _STATUS_EN)[status]
