"""Problems found in the input, each located by file, sheet, row and column.

Every message is carried in Chinese and English so the CLI can print either
language and the library can hand both to another tool.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Issue(BaseModel):
    """One problem with the input, located as precisely as the input allows."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(description="stable machine-readable kind, e.g. 'duplicate-id'")
    zh: str
    en: str
    severity: Severity = Severity.ERROR
    file: str | None = None
    sheet: str | None = None
    row: int | None = Field(default=None, description="1-based row as the spreadsheet shows it")
    column: str | None = Field(default=None, description="the header text as written")
    suggestions: tuple[str, ...] = ()

    def location(self, lang: str = "zh") -> str:
        parts: list[str] = []
        if self.file:
            parts.append(Path(self.file).name)
        if lang == "zh":
            if self.sheet:
                parts.append(f"工作表「{self.sheet}」")
            if self.row is not None:
                parts.append(f"第{self.row}行")
            if self.column:
                parts.append(f"列「{self.column}」")
            return "，".join(parts)
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def render(self, lang: str = "zh") -> str:
        where = self.location(lang)
        text = self.zh if lang == "zh" else self.en
        out = f"{where}：{text}" if (where and lang == "zh") else (f"{where}: {text}" if where else text)
        if self.suggestions:
            joined = "、".join(self.suggestions) if lang == "zh" else ", ".join(self.suggestions)
            out += f"（是否指：{joined}？）" if lang == "zh" else f" (did you mean: {joined}?)"
        return out


class InputError(Exception):
    """Raised when the input cannot be used; carries every problem found in one pass."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = [i for i in issues if i.severity is Severity.ERROR]
        self.warnings = [i for i in issues if i.severity is Severity.WARNING]
        first = self.issues[0].render("en") if self.issues else "invalid input"
        super().__init__(f"{len(self.issues)} input error(s); first: {first}")

    def render(self, lang: str = "zh") -> str:
        return "\n".join(i.render(lang) for i in self.issues)
