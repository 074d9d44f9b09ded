"""Checks on untrusted request input that every domain shares: ids, page numbers, NUL, numbers."""

import csv
import decimal
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from itertools import chain
from typing import cast

from flask import Flask, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter
from wtforms import Field
from wtforms.validators import NumberRange, StopValidation

from course_engine.errors import DomainError

# Every id column is a 32-bit INTEGER on PostgreSQL: a larger number names
# nothing, and handing it to the database overflows instead of finding nothing.
MAX_ID = 2**31 - 1

NUL_MESSAGE = "The request contains a NUL character (\\0), which text here may not contain."


def _numbers_up_to(limit: int) -> str:
    """Return a regex matching the whole numbers from 0 to limit."""
    text = str(limit)
    options = [rf"\d{{1,{len(text) - 1}}}", text]
    for place, digit in enumerate(text):
        lowest = 1 if place == 0 else 0
        if int(digit) > lowest:
            rest = len(text) - place - 1
            options.append(rf"{text[:place]}[{lowest}-{int(digit) - 1}]\d{{{rest}}}")
    return "|".join(options)


class IdConverter(IntegerConverter):
    """Match `<int:...>` only up to MAX_ID, so a larger number in a URL is a 404.

    The bound is in the regex, not only in to_python: a number refused after
    matching would turn into a 405 where another rule shares the path.
    """

    regex = _numbers_up_to(MAX_ID)

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def page_arg(args: Mapping[str, str], name: str = "page") -> int:
    """Return a ?page= number from 1 (1 when absent), or raise DomainError."""
    text = args.get(name, "")
    if text == "":
        return 1
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ID:
        raise DomainError("The page must be a whole number from 1.")
    return int(text)


def id_arg(args: Mapping[str, str], name: str) -> int | None:
    """Return an id from the query string (None when absent), or raise DomainError."""
    text = args.get(name, "")
    if text == "":
        return None
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        raise DomainError(f"There is no such {name} here.")
    return int(text)


# For integer form fields that carry an id: a larger number names nothing.
id_in_range = NumberRange(min=1, max=MAX_ID, message="There is no such choice.")


NUL_IN_FILE = "the file contains a NUL character (\\0)"


def csv_problem(error: csv.Error) -> str:
    """Say what the csv module refused, for a line of an import's problem list."""
    if "field larger than field limit" in str(error):
        return f"a field is longer than {csv.field_size_limit() // 1024} KB"
    return f"this is not valid CSV ({error})"


@contextmanager
def csv_refusals(reader, invalid: Callable[[list[str]], DomainError]) -> Iterator[None]:
    """Turn what the csv module refuses while reading into invalid([problem]): never a 500."""
    try:
        yield
    except csv.Error as error:
        raise invalid([f"line {reader.line_num}: {csv_problem(error)}"]) from None


class FiniteNumber:
    """Refuse NaN, sNaN and infinities in a number field before range checks compare them."""

    def __call__(self, form, field) -> None:
        value = field.data
        if isinstance(value, decimal.Decimal | float) and not decimal.Decimal(value).is_finite():
            raise StopValidation("Give a number (not NaN or infinity).")


def field_errors(field: Field) -> list[str]:
    """Return a validated field's errors, the list a view adds its own messages to."""
    # WTForms makes them a list when it validates; its stubs promise only a Sequence.
    return cast(list[str], field.errors)


def _refuse_nul() -> None:
    # PostgreSQL refuses NUL in text, so a stray \0 would end as a 500 after
    # part of the work; no text field here has a use for it.
    values = chain(
        [request.path],
        chain.from_iterable(request.args.listvalues()),
        request.args.keys(),
        chain.from_iterable(request.form.listvalues()) if request.form else (),
        request.form.keys() if request.form else (),
    )
    if any("\x00" in value for value in values):
        raise BadRequest(NUL_MESSAGE)


def register(app: Flask) -> None:
    """Bound ids in URLs and refuse NUL in any text of a request; before blueprints are added."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(_refuse_nul)
