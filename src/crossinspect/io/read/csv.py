"""Decode a folder of CSV files, one file a sheet, into row tables: encodings, delimiters, limits."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from ...domain.errors import Issue
from ...domain.rules import did_you_mean
from ..columns import SHEETS, match_sheet
from .limits import MAX_COLUMNS, MAX_ROWS, read_bytes
from .tables import Loaded, Table, clean, column_letters, make_issue


def _decode_csv(data: bytes) -> tuple[str, str] | None:
    """The text of a CSV file and the encoding it was read with, or None."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export is UTF-16 with a byte-order mark
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    head = data[:4096]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if max(odd, even) >= 8 and max(odd, even) > 4 * min(odd, even):
        # UTF-16 without a byte-order mark: every ASCII comma, digit and line break has a
        # zero byte beside it, always on the same side, which tells the byte order. Text
        # in UTF-8 or GB18030 has no zero bytes at all.
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def _csv_rows(text: str, file: str, sheet: str, issues: list[Issue]) -> list[tuple[int, list[str]]] | None:
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Tab-separated text (Excel's "Unicode text") has no commas in its header line.
    delimiter = "\t" if "\t" in first and "," not in first else ","
    rows: list[tuple[int, list[str]]] = []
    # A quoted cell may span lines; the spreadsheet row is the record number, as Excel shows it.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    r = 0
    try:
        for r, record in enumerate(reader, start=1):
            if len(record) > MAX_COLUMNS and any(record[MAX_COLUMNS:]):
                letters = column_letters(MAX_COLUMNS + 1)
                issues.append(
                    make_issue(
                        "too-many-columns",
                        f"该行超过 {MAX_COLUMNS} 列的上限；请删除多余的内容",
                        f"the row has more than the limit of {MAX_COLUMNS} columns; delete the stray content",
                        file=file,
                        sheet=sheet,
                        row=r,
                        column=letters,
                    )
                )
                return None
            values = [clean(v) for v in record]
            if any(values):
                rows.append((r, values))
                if len(rows) > MAX_ROWS:
                    issues.append(
                        make_issue(
                            "too-many-rows",
                            f"文件行数超过上限：最多 {MAX_ROWS:,} 个非空行（含表头），第 {r:,} 行已超出；"
                            "请删除多余的行，或把名单拆小后再试",
                            f"the file has more than {MAX_ROWS:,} non-empty rows (header included); "
                            f"row {r:,} is past the limit; delete the extra rows",
                            file=file,
                            sheet=sheet,
                            row=r,
                        )
                    )
                    return None
    except csv.Error as exc:
        # e.g. a field longer than the csv module's limit (131,072 characters)
        issues.append(
            make_issue("bad-csv", f"CSV 格式错误：{exc}", f"malformed CSV: {exc}", file=file, sheet=sheet, row=r + 1)
        )
        return None
    return rows


def load_csv_dir(folder: Path, issues: list[Issue], given: Path | None) -> Loaded | None:
    try:
        # Not only regular files: a FIFO or a dangling link named 干部.csv is reported when
        # read, rather than skipped as if the sheet were missing.
        files = sorted(
            (p for p in folder.iterdir() if p.suffix.lower() == ".csv" and not p.is_dir()), key=lambda p: p.name
        )
    except OSError as exc:
        reason = exc.strerror or str(exc)
        issues.append(
            make_issue("unreadable", f"无法读取文件夹：{reason}", f"cannot read folder: {reason}", file=str(folder))
        )
        return None
    if given is not None and match_sheet(given.stem) is None:
        names = "、".join(f"{s.zh}.csv" for s in SHEETS)
        issues.append(
            make_issue(
                "csv-not-a-sheet",
                f"CSV 文件名须是工作表名（{names}，或对应英文名），同一文件夹中的 CSV 文件组成一个输入",
                "a CSV file must be named after its sheet (cadres.csv, targets.csv, history.csv, "
                "places.csv, decisions.csv, rules.csv, or the Chinese names); the CSV files in one "
                "folder form one input",
                file=str(given),
                suggestions=did_you_mean(given.stem, [s.zh for s in SHEETS] + [s.en for s in SHEETS]),
            )
        )
        return None
    tables: list[Table] = []
    digest = hashlib.sha256()
    ok = True
    for p in files:
        if match_sheet(p.stem) is None:
            continue  # another CSV in the same folder is not part of the book
        data = read_bytes(p, issues)
        if data is None:
            ok = False
            continue
        # Name-prefixed so renaming or swapping two sheet files changes the checksum.
        digest.update(p.name.encode("utf-8") + b"\n")
        digest.update(data)
        if data.startswith(b"PK\x03\x04"):
            issues.append(
                make_issue(
                    "not-csv",
                    "该文件实际是 .xlsx 工作簿而不是 CSV；请直接使用 .xlsx 文件",
                    "this file is really an .xlsx workbook, not CSV; use it as .xlsx",
                    file=str(p),
                )
            )
            ok = False
            continue
        decoded = _decode_csv(data)
        if decoded is None:
            issues.append(
                make_issue(
                    "bad-encoding",
                    "无法识别文件编码；请另存为 UTF-8 或 GB18030 编码的 CSV",
                    "unknown text encoding; save the CSV as UTF-8 or GB18030",
                    file=str(p),
                )
            )
            ok = False
            continue
        text, encoding = decoded
        rows = _csv_rows(text, str(p), p.stem, issues)
        if rows is None:
            ok = False
            continue
        tables.append(Table(file=str(p), name=p.stem, rows=rows, encoding=encoding))
    if not ok:
        return None
    return Loaded(tables=tables, sha256=digest.hexdigest(), file=str(given or folder))
