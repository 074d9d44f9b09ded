"""The shared CSV writer: safe cells, quoting, numbers and the download response."""

import csv
import io
from decimal import Decimal

import pytest
from flask import Flask

from course_engine.csv_export import BOM, csv_line, csv_response, csv_text, safe_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("4/6", "4/6"),
        (None, ""),
        (3, "3"),
        (-2, "-2"),
        (2.5, "2.5"),
        (Decimal("-0.5"), "-0.5"),
    ],
)
def test_cells_never_run_as_formulas(value, cell):
    assert safe_cell(value) == cell


def test_every_cell_is_quoted():
    assert csv_line(["a", 3, None, 'say "hi"']) == '"a","3","","say ""hi"""\r\n'


def test_a_semicolon_does_not_split_a_cell_into_a_formula():
    # Spreadsheets in many locales split on ';': the quotes keep the cell whole.
    line = csv_line(["semi;=1+1"])
    assert line == '"semi;=1+1"\r\n'
    assert next(csv.reader(io.StringIO(line), delimiter=";")) == ["semi;=1+1"]


def test_a_document_reads_back_as_its_safe_cells():
    text = csv_text([["name", "score"], ["=cmd", 4]])
    assert list(csv.reader(io.StringIO(text))) == [["name", "score"], ["'=cmd", "4"]]


@pytest.fixture
def bare_app():
    return Flask(__name__)


@pytest.mark.parametrize("body", ["a\r\n", iter(["a\r\n"])], ids=["text", "lines"])
def test_the_response_is_one_utf8_attachment(bare_app, body):
    with bare_app.test_request_context("/"):
        response = csv_response(body, "Résumé.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Resume.csv\"; filename*=UTF-8''R%C3%A9sum%C3%A9.csv"
    )
    assert response.get_data(as_text=True) == "a\r\n"


@pytest.mark.parametrize("body", ["a\r\n", iter(["a\r\n"])], ids=["text", "lines"])
def test_bom_1_starts_the_file_with_a_byte_order_mark_for_excel(bare_app, body):
    with bare_app.test_request_context("/?bom=1"):
        response = csv_response(body, "x.csv")
    assert response.get_data() == (BOM + "a\r\n").encode("utf-8")
    assert response.get_data().startswith(b"\xef\xbb\xbf")
