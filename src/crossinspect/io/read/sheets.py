"""Find the input sheets among the tables, map their headers to columns, check raw cells.

``SheetChecks`` is the first half of the book builder: it reports unknown, duplicate,
hidden and missing sheets and columns, and cells a spreadsheet has mangled (formulas
without a value, Excel errors, ids stored as dates or numbers, control characters,
over-long text), and tidies what it reports so the records see sane text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ...domain.errors import Issue, Severity
from ...domain.models import SourceRef
from ...domain.rules import did_you_mean
from ..columns import SHEETS, Sheet, is_instructions, match_sheet, norm, split_multi
from .limits import MAX_CELL_CHARS, MAX_NOTE_CHARS
from .tables import Loaded, Table, make_issue

# A control character other than a tab or a line break is invisible garbage that would
# make two ids differ unseen, and that the roster writer cannot store.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Columns that hold ids: Excel turns 1-2 into a date and a long number into a float
# that has lost its last digits, so such a value there is never the id the clerk typed.
_ID_COLUMNS = frozenset(
    {
        ("cadres", "id"),
        ("targets", "id"),
        ("history", "cadre_id"),
        ("decisions", "cadre_id"),
        ("decisions", "target_id"),
        ("decisions", "other_cadre_id"),
    }
)


# Columns where TRUE/FALSE means yes/no: the 是/否 columns, and a rules value (TOML
# true/false, checked against the key's type by the rules).
_LOGICAL_COLUMNS = frozenset({("cadres", "available"), ("history", "last_ranked"), ("rules", "value")})


@dataclass
class Row:
    """One data row: cleaned text by column key, and where each column came from."""

    number: int
    values: dict[str, str]
    sheet: SheetData

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def column(self, key: str) -> str:
        return self.sheet.header_of(key)

    def multi(self, key: str) -> tuple[str, ...]:
        return split_multi(self.get(key))

    def source(self) -> SourceRef:
        return SourceRef(
            file=self.sheet.table.file, sheet=self.sheet.table.name, row=self.number, columns=dict(self.sheet.headers)
        )


@dataclass
class SheetData:
    spec: Sheet
    table: Table
    header_row: int = 0
    #: english key -> header as written
    headers: dict[str, str] = field(default_factory=dict)
    #: english key -> 0-based column index
    index: dict[str, int] = field(default_factory=dict)
    #: False when a required column is missing: rows are then not checked cell by cell
    complete: bool = True

    @property
    def english(self) -> bool:
        return norm(self.table.name) == norm(self.spec.en)

    def header_of(self, key: str) -> str:
        col = self.spec.column(key)
        return self.headers.get(key) or (col.en if self.english else col.zh)

    def rows(self) -> Iterator[Row]:
        for number, cells in self.table.rows:
            if number <= self.header_row:
                continue
            values = {key: (cells[i] if i < len(cells) else "") for key, i in self.index.items()}
            # Rows with text only in unknown columns (a pre-numbered 序号 column) are blank.
            if any(values.values()):
                yield Row(number=number, values=values, sheet=self)


class SheetChecks:
    """The sheet and cell checks of the book builder; ``book._Builder`` adds the records."""

    def __init__(self, loaded: Loaded, issues: list[Issue]) -> None:
        self.loaded = loaded
        self.issues = issues
        #: (sheet, row, column key) of cells already reported by the cell checks, so an
        #: uncalculated formula is not reported a second time as an empty cell
        self.reported: set[tuple[str, int, str]] = set()

    # ---- sheets and headers

    def _sheets(self) -> dict[str, SheetData]:
        found: dict[str, SheetData] = {}
        for table in self.loaded.tables:
            spec = match_sheet(table.name)
            if spec is None:
                if not is_instructions(table.name):
                    names = [s.zh for s in SHEETS] + [s.en for s in SHEETS]
                    self.issues.append(
                        make_issue(
                            "unknown-sheet",
                            f"工作表「{table.name}」不是输入表，已忽略",
                            f"sheet '{table.name}' is not an input sheet and was ignored",
                            file=table.file,
                            sheet=table.name,
                            severity=Severity.WARNING,
                            suggestions=did_you_mean(table.name, names),
                        )
                    )
                continue
            if spec.key in found:
                other = found[spec.key].table
                self.issues.append(
                    make_issue(
                        "duplicate-sheet",
                        f"「{spec.zh}」表出现了两次（「{other.name}」和「{table.name}」），只能保留一个",
                        f"sheet '{spec.en}' is given twice ('{other.name}' and '{table.name}'); keep one",
                        file=table.file,
                        sheet=table.name,
                    )
                )
                continue
            if table.state != "visible":
                # The leadership signs a roster built from this sheet; nobody can have
                # checked rows they could not see, so a hidden input sheet is refused.
                self.issues.append(
                    make_issue(
                        "hidden-sheet",
                        f"「{table.name}」表是隐藏的（在 Excel/WPS 中看不到），隐藏的表不予读取；"
                        "请取消隐藏并核对内容后再试",
                        f"sheet '{table.name}' is hidden in Excel/WPS; a hidden input sheet is not "
                        "read: unhide it, check it and try again",
                        file=table.file,
                        sheet=table.name,
                    )
                )
            data = self._headers(spec, table)
            self._cell_checks(data)
            found[spec.key] = data
        for spec in SHEETS:
            if spec.required and spec.key not in found:
                written = [t.name for t in self.loaded.tables]
                self.issues.append(
                    make_issue(
                        "missing-sheet",
                        f"缺少必需的工作表「{spec.zh}」（或「{spec.en}」）",
                        f"required sheet '{spec.en}' ('{spec.zh}') is missing",
                        file=self.loaded.file,
                        sheet=spec.zh,
                        suggestions=did_you_mean(spec.zh, written) + did_you_mean(spec.en, written),
                    )
                )
        return found

    def _headers(self, spec: Sheet, table: Table) -> SheetData:
        """Map the header row's cells to columns; the header may sit below title rows."""
        data = SheetData(spec=spec, table=table)
        if not table.rows:
            return data  # an empty sheet: the required sheets report it as having no rows
        data.header_row, cells = _find_header(spec, table.rows)
        for i, header in enumerate(cells):
            if not header:
                continue
            col = spec.match_column(header)
            if col is None:
                self.issues.append(
                    make_issue(
                        "unknown-column",
                        f"不认识的列「{header}」，已忽略",
                        f"unknown column '{header}' was ignored",
                        file=table.file,
                        sheet=table.name,
                        row=data.header_row,
                        column=header,
                        severity=Severity.WARNING,
                        suggestions=did_you_mean(header, spec.header_names()),
                    )
                )
                continue
            if col.key in data.index:
                self.issues.append(
                    make_issue(
                        "duplicate-column",
                        f"列「{header}」与列「{data.headers[col.key]}」是同一列（{col.zh}/{col.en}），只能保留一个",
                        f"column '{header}' repeats column '{data.headers[col.key]}' ({col.en}); keep one",
                        file=table.file,
                        sheet=table.name,
                        row=data.header_row,
                        column=header,
                    )
                )
                data.complete = False
                continue
            data.index[col.key] = i
            data.headers[col.key] = header
        missing = [c for c in spec.columns if c.required and c.key not in data.index]
        # A single text in the first row is almost always a title above the real header.
        looks_like_title = len({c for c in cells if c}) == 1 and len(missing) > 1
        hint_zh = "（第一个非空行须是表头，请删除表头上方的标题行）" if looks_like_title else ""
        hint_en = (
            " (the first non-empty row must be the header; delete the title row above it)" if looks_like_title else ""
        )
        for col in missing:
            self.issues.append(
                make_issue(
                    "missing-column",
                    f"缺少必需的列「{col.zh}」（或「{col.en}」）{hint_zh}",
                    f"required column '{col.en}' ('{col.zh}') is missing{hint_en}",
                    file=table.file,
                    sheet=table.name,
                    row=data.header_row,
                    column=col.en if data.english else col.zh,
                )
            )
        if missing:
            data.complete = False
            if table.encoding == "gb18030" and not data.index:
                # GB18030 decodes almost any bytes without complaint, so a Big5 or other
                # file comes out as wrong characters rather than as a decoding error.
                self.issues.append(
                    make_issue(
                        "encoding-guess",
                        "按 GB18030 编码读取后一个表头也认不出，文件可能是其他编码（如 Big5）；"
                        "请另存为 UTF-8 或 GB18030 编码的 CSV 后再试",
                        "read as GB18030 no header is recognised; the file may be in another "
                        "encoding (such as Big5); save it as UTF-8 or GB18030 CSV and try again",
                        file=table.file,
                        sheet=table.name,
                        row=data.header_row or None,
                    )
                )
        return data

    def _at(
        self,
        code: str,
        zh: str,
        en: str,
        data: SheetData,
        row: int,
        key: str | None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.issues.append(
            make_issue(
                code,
                zh,
                en,
                file=data.table.file,
                sheet=data.table.name,
                row=row,
                column=data.header_of(key) if key else None,
                severity=severity,
            )
        )
        if key and severity is Severity.ERROR:
            self.reported.add((data.table.name, row, key))

    def _cell_checks(self, data: SheetData) -> None:
        """Check the raw cells of an input sheet's columns, and tidy what is reported.

        Runs before the records are built, so a cell reported here is cleaned (control
        characters removed, over-long text cut) and the later stages see sane text.
        """
        table = data.table
        hidden: list[int] = []
        for number, cells in table.rows:
            if number <= data.header_row:
                continue
            if number in table.hidden_rows and any(cells):
                hidden.append(number)
            for key, i in data.index.items():
                note = table.notes.get((number, i))
                if note:
                    self._note_issue(data, number, key, note, cells[i] if i < len(cells) else "")
                if i >= len(cells) or not cells[i]:
                    continue
                text = cells[i]
                if _CONTROL_RE.search(text):
                    codes = sorted({f"U+{ord(ch):04X}" for ch in _CONTROL_RE.findall(text)})
                    self._at(
                        "control-character",
                        f"单元格含有看不见的控制字符（{'、'.join(codes)}），请删除后重新输入该单元格",
                        f"the cell contains invisible control characters ({', '.join(codes)}); retype the cell",
                        data,
                        number,
                        key,
                    )
                    text = _CONTROL_RE.sub("", text)
                limit = MAX_NOTE_CHARS if key == "note" else MAX_CELL_CHARS
                if len(text) > limit:
                    self._at(
                        "cell-too-long",
                        f"单元格有 {len(text):,} 个字符，超过上限 {limit:,}",
                        f"the cell has {len(text):,} characters, more than the limit of {limit:,}",
                        data,
                        number,
                        key,
                    )
                    text = text[:limit]
                cells[i] = text
        if hidden:
            shown = "、".join(str(r) for r in hidden[:10]) + ("等" if len(hidden) > 10 else "")
            self._at(
                "hidden-rows",
                f"第{shown}行被隐藏（可能是筛选所致），共 {len(hidden)} 行；隐藏的行同样会被读入。"
                "请取消隐藏或筛选后核对；不参加本轮的行请删除"
                + ("，或在「可用」列填「否」" if data.spec.key == "cadres" else ""),
                f"{len(hidden)} row(s) are hidden (perhaps by a filter), first row "
                f"{hidden[0]}; hidden rows would be read all the same. Unhide them and "
                "check; delete the rows that do not take part"
                + (" or write 否 in 'available'" if data.spec.key == "cadres" else ""),
                data,
                hidden[0],
                None,
            )
        for key, i in data.index.items():
            if i + 1 in table.hidden_columns:
                self._at(
                    "hidden-column",
                    "该列被隐藏；隐藏列的内容同样会被读入，请取消隐藏并核对",
                    "the column is hidden; its contents are read all the same: unhide and check it",
                    data,
                    data.header_row,
                    key,
                    severity=Severity.WARNING,
                )

    def _note_issue(self, data: SheetData, row: int, key: str, note: str, text: str) -> None:
        if note == "formula":
            self._at(
                "formula-no-value",
                "单元格是公式，但文件中没有公式的计算结果（文件可能由程序生成，未在 Excel/WPS 中保存过）；"
                "请在 Excel 或 WPS 中打开并保存后再试，或把公式换成数值",
                "the cell is a formula but the file holds no calculated value (it may "
                "have been made by a program and never saved in Excel/WPS); open and save "
                "it in Excel or WPS, or replace the formula by its value",
                data,
                row,
                key,
            )
        elif note == "bool":
            if (data.spec.key, key) not in _LOGICAL_COLUMNS:
                self._at(
                    "bool-cell",
                    f"单元格是逻辑值 {text.upper()}（可能是复选框、公式结果或被 Excel 转换的输入），"
                    "这里应填写文字或数字",
                    f"the cell holds the logical value {text.upper()} (a checkbox, a formula's "
                    "result or input Excel converted); this column needs text or a number",
                    data,
                    row,
                    key,
                )
        elif note == "error":
            self._at(
                "formula-error",
                f"单元格的值是 Excel 错误「{text}」（公式出错）；请改正公式或填写数值",
                f"the cell holds the Excel error '{text}' (a broken formula); fix the formula or type the value",
                data,
                row,
                key,
            )
        elif (data.spec.key, key) in _ID_COLUMNS:
            what_zh = {"date": "日期", "float": "小数", "bignum": "超过15位的数字"}[note]
            what_en = {"date": "a date", "float": "a decimal number", "bignum": "a number of more than 15 digits"}[note]
            self._at(
                "id-not-text",
                f"编号列的单元格被 Excel 存成了{what_zh}（显示为「{text}」），不是输入的编号；"
                "请把该列设为「文本」格式后重新输入编号",
                f"Excel stored this id as {what_en} (shown as '{text}'), which is not the id "
                "as typed; format the column as Text and type the id again",
                data,
                row,
                key,
            )


#: How far down a sheet the header row is looked for: offices put a title, a date or a
#: "填报单位" line above the table, but never pages of text.
HEADER_SEARCH_ROWS = 10


def _find_header(spec: Sheet, rows: list[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    """The first of the leading rows that names at least two known columns, else the first row.

    Requiring two known headers keeps a title such as 「某市巡察干部名单」 from being taken
    for the header, while a real header always has several.
    """
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        if sum(1 for c in cells if c and spec.match_column(c) is not None) >= 2:
            return number, cells
    return rows[0]
