"""The page's words, in Chinese and English; the server fills the template and hands the script its own."""

from __future__ import annotations

_TEXTS: dict[str, tuple[str, str]] = {
    "title": ("交叉巡察编组", "Cross-inspection teams"),
    "subtitle": (
        "本机网页：文件只在这台电脑上处理，不会发送到网络",
        "A page on this computer: files are processed here and sent nowhere",
    ),
    "other_lang": ("English", "中文"),
    "downloads": ("下载", "Downloads"),
    "template": ("空白模板", "Blank template"),
    "example_rotation": ("推磨式示例", "Rotation example"),
    "example_mixed": ("混编示例", "Mixed example"),
    "example_input": ("输入", "input"),
    "example_rules": ("规则", "rules"),
    "step_input": ("上传输入", "Upload the input"),
    "workbook": ("输入工作簿（.xlsx）", "Input workbook (.xlsx)"),
    "rules": ("规则文件（.toml，可不选）", "Rules file (.toml, optional)"),
    "advanced": ("抽签种子与时限（可不填，默认按规则）", "Seed and time limit (optional; the rules' by default)"),
    "seed": ("抽签种子", "Lottery seed"),
    "time_limit": ("时限（秒）", "Time limit (s)"),
    "check": ("检查输入", "Check"),
    "solve": ("开始编组", "Build the teams"),
    "step_verify": ("复核手工修改的名单", "Re-check a hand-edited roster"),
    "verify_hint": ("使用上面选择的输入工作簿和规则文件。", "Uses the workbook and rules chosen above."),
    "roster_file": ("名单（.xlsx）", "Roster (.xlsx)"),
    "verify": ("复核", "Verify"),
    "render": ("按修改重新生成名单", "Rewrite the roster"),
    "render_hint": (
        "重新生成：按修改后的分组重写总表、审查表等全部工作表并独立校验；有违规时也生成，违规印在「校验结果」表上。",
        "Rewrite: every sheet is rebuilt from the edited teams and verified; a roster that breaks "
        "rules is rewritten too, its violations printed on the 校验结果 sheet.",
    ),
    "welcome": (
        "先在左侧选择输入工作簿，点「检查输入」核对填写，再点「开始编组」。",
        "Choose the input workbook on the left, click Check to validate it, then Build the teams.",
    ),
    "need_workbook": ("请先选择输入工作簿。", "Choose the input workbook first."),
    "need_roster": ("请先选择要复核的名单。", "Choose the roster to re-check first."),
    "working": ("处理中……", "Working…"),
    "check_ok": ("输入有效，预检通过，可以编组。", "The input is valid and the pre-check passed."),
    "check_errors": (
        "输入有误，共 {n} 处，请按下表逐项修改后重新上传：",
        "{n} problem(s) in the input; fix each and upload again:",
    ),
    "check_infeasible": (
        "输入有效，但预检发现按现有规则无法编组：",
        "The input is valid, but the pre-check found that no roster can satisfy the rules:",
    ),
    "warnings": ("提示（不影响编组，请核实）", "Warnings (the solve goes ahead; please check)"),
    "summary": ("干部池概况", "Cadre pools"),
    "summary_line": (
        "共 {cadres} 名干部、{counties} 个县区干部池、{targets} 个巡察对象；"
        "编组方式 {mode_text}，回避层级 {level_text}。",
        "{cadres} cadres in {counties} pools, {targets} targets; mode {mode_text}, level {level_text}.",
    ),
    "county": ("县区", "County"),
    "cadres": ("干部", "Cadres"),
    "targets": ("巡察对象", "Targets"),
    "total": ("合计", "Total"),
    "col_file": ("文件", "File"),
    "col_sheet": ("工作表", "Sheet"),
    "col_row": ("行", "Row"),
    "col_column": ("列", "Column"),
    "col_message": ("问题", "Problem"),
    "col_rule": ("规则", "Rule"),
    "sanctions": ("质量评估处理（R8）", "Sanctions (R8)"),
    "job": ("编组", "Solve"),
    "job_files": ("输入：{workbook}", "Input: {workbook}"),
    "job_rules": ("；规则：{rules}", "; rules: {rules}"),
    "status_queued": ("排队中", "queued"),
    "status_running": ("进行中", "running"),
    "status_done": ("已完成", "done"),
    "status_infeasible": ("无法编组", "no roster"),
    "status_failed": ("未完成", "failed"),
    "status_stopped": ("已停止", "stopped"),
    "stop": ("停止（保留目前最好的名单）", "Stop (keep the best roster so far)"),
    "stopping": ("正在停止……", "stopping…"),
    "phase": ("阶段", "Phase"),
    "objective": ("目前最好目标值", "Best objective"),
    "objective_final": ("目标值", "Objective"),
    "bound": ("下界", "Bound"),
    "elapsed": ("已用", "Elapsed"),
    "time_left": ("剩余", "Time left"),
    "seconds": ("{s} 秒", "{s} s"),
    "solutions": ("已找到方案", "Rosters found"),
    "download": ("下载名单", "Download the roster"),
    "result": ("编组结果", "Result"),
    "result_status": ("求解状态", "Status"),
    "gap": ("差距", "Gap"),
    "runtime": ("用时", "Runtime"),
    "seed_used": ("抽签种子", "Seed"),
    "reproducible_no": (
        "不可复现：同一种子再次运行可能得到不同名单。原因：",
        "Not reproducible: the same seed may give another roster. Why: ",
    ),
    "terms": ("目标项", "Objective terms"),
    "term_value": ("取值 × 权重 = 加权值", "value × weight = weighted"),
    "teams": ("各组名单（与名单「总表」相同）", "Teams (as on the roster's overview sheet)"),
    "col_team": ("组别", "Team"),
    "col_target": ("巡察对象", "Target"),
    "col_location": ("所在地", "Location"),
    "col_size": ("人数", "Size"),
    "why": ("无法编组的原因", "Why there is no roster"),
    "core": (
        "相互冲突的规则（同时满足不了，放宽其中任一条才可能编组）",
        "Rules that cannot all hold together (relaxing any one may help)",
    ),
    "relax_title": (
        "可恢复编组的调整（每一项都已试算并通过校验）",
        "Changes that restore a roster (each solved and verified)",
    ),
    "relax_apply": ("按此调整重新编组", "Apply and solve again"),
    "relax_none": (
        "没有找到能恢复编组的简单调整，请按上述原因修改输入或规则。",
        "No simple change restores a roster; change the input or the rules as explained above.",
    ),
    "relaxed_note": (
        "注意：此名单已按以下调整放宽规则后编组，不符合原规则，须经批准后方可使用（名单总表表头下和「运行信息」表中也已注明）：",
        "Note: this roster was built with the rules relaxed as follows; it does not meet the "
        "original rules and needs approval before use (the roster says so too, under the overview's "
        "title and on its run-information sheet):",
    ),
    "relaxed_rules": (
        "（相当于在规则文件中改写这些规则项后重新编组，软目标照常优化；名单「运行信息」表列出实际生效的全部规则。）",
        "(The same as changing these keys in the rules file and solving again, soft goals "
        "included; the roster's run-information sheet lists every rule in force.)",
    ),
    "relaxed_problem": (
        "（此项调整改动了输入本身，编组时未优化软目标。）",
        "(This change alters the input itself; the soft goals were not optimised.)",
    ),
    "verify_ok": (
        "复核通过：{teams} 个组、{seats} 个席位全部符合规则。",
        "Clean: {teams} teams, {seats} seats, every rule holds.",
    ),
    "verify_bad": ("发现 {n} 处违规：", "{n} violation(s):"),
    "render_ok": ("已按修改重新生成名单，并已通过复核：", "Rewritten from the edits and verified:"),
    "render_download": ("下载重新生成的名单", "Download the rewritten roster"),
    "render_violations": (
        "名单有 {n} 处违规（已印在重新生成的名单的「校验结果」表上），改正前不得使用：",
        "{n} violation(s), printed on the rewritten roster's 校验结果 sheet; do not use it until they are corrected:",
    ),
    "render_changes": (
        "与写出时的名单相比，调整 {n} 人（见名单的「变更」表）。",
        "{n} change(s) against the roster as written (see its 变更 sheet).",
    ),
    "render_no_changes": ("未发现人工调整。", "No hand edit found."),
    "render_changes_unknown": (
        "名单的两处都已修改，无法与写出时的名单比对。",
        "Both copies of the plan were edited; the changes cannot be listed.",
    ),
    "job_lost": (
        "找不到原来的编组任务（服务可能已重启），请重新上传。",
        "The earlier solve is gone (the server may have restarted); upload again.",
    ),
    "server_error": ("服务出错或已关闭：", "The server failed or has stopped: "),
    "footer": (
        "关闭运行 crossinspect 的命令行窗口即退出；上传的文件在退出时（或下次启动时）删除。",
        "Close the window running crossinspect to quit; uploaded files are deleted then (or at the next start).",
    ),
}


def texts(lang: str) -> dict[str, str]:
    """Every text of the page in ``lang`` (zh or en)."""
    index = 0 if lang == "zh" else 1
    return {key: pair[index] for key, pair in _TEXTS.items()}
