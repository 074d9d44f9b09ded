"""The one way the app writes CSV: cells no spreadsheet runs, every cell quoted, one response.

Every export (quiz attempts, gradebook, survey results, dashboard tables,
peer reviews) builds its lines here and is sent by `csv_response`.
"""

import csv
import decimal
import io
from collections.abc import Iterable, Iterator

from flask import Response, request

from course_engine.downloads import file_response

# Spreadsheets run cells that start with these as formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "text/csv; charset=utf-8"
# Excel reads a CSV file as UTF-8 only when it starts with this mark.
BOM = "\ufeff"

Cell = str | int | float | decimal.Decimal | None


def safe_cell(value: Cell) -> str:
    """Return a value as CSV text that a spreadsheet shows as text, never runs as a formula.

    Numbers are written as they are: the text of a number is never a formula.
    """
    if value is None:
        return ""
    if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_line(cells: Iterable[Cell]) -> str:
    """Return one CSV line of safe cells, every cell quoted so no separator splits it."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerow([safe_cell(cell) for cell in cells])
    return buffer.getvalue()


def csv_text(rows: Iterable[Iterable[Cell]]) -> str:
    """Return a whole CSV document of safe, quoted cells."""
    return "".join(csv_line(row) for row in rows)


def _with_bom(lines: Iterable[str]) -> Iterator[str]:
    yield BOM
    yield from lines


def bom_requested() -> bool:
    """Tell whether the request asks for a byte order mark (`?bom=1`), for Excel."""
    return request.args.get("bom") == "1"


def csv_response(lines: Iterable[str] | str, filename: str) -> Response:
    """Return a CSV download, streamed when given lines, with a BOM when `?bom=1` asks for it."""
    body: Iterable[str] | str = lines
    if bom_requested():
        body = BOM + lines if isinstance(lines, str) else _with_bom(lines)
    return file_response(body, filename, CONTENT_TYPE)
