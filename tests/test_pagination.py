"""The shared pagination: page arithmetic, paging a select in two queries, and the pager macro."""

import pytest
from flask import render_template_string
from sqlalchemy import event, select

from course_engine.auth.models import User
from course_engine.extensions import db
from course_engine.pagination import Pagination, paginate, paginate_rows


@pytest.mark.parametrize(
    ("page", "total", "pages", "previous", "following"),
    [
        (1, 0, 1, False, False),
        (1, 10, 1, False, False),
        (1, 11, 2, False, True),
        (2, 11, 2, True, False),
    ],
)
def test_page_arithmetic(page, total, pages, previous, following):
    found = Pagination([], page, 10, total)
    assert (found.pages, found.has_previous, found.has_next) == (pages, previous, following)


@pytest.mark.parametrize(
    ("page", "numbers"),
    [(1, [1, 2, 3, None, 10]), (5, [1, None, 3, 4, 5, 6, 7, None, 10]), (10, [1, None, 8, 9, 10])],
)
def test_far_pages_collapse_into_gaps(page, numbers):
    assert Pagination([], page, 1, 10).numbers() == numbers


def test_rows_in_memory():
    assert paginate_rows(list(range(25)), 3, 10) == Pagination(list(range(20, 25)), 3, 10, 25)


def test_a_select_is_paged_with_one_count(app, make_user):
    for number in range(5):
        make_user(name=f"User {number}")
    db.session.flush()
    statement = select(User.display_name).order_by(User.display_name)
    statements = []

    def record(_connection, _cursor, sql, *_args):
        statements.append(sql)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        found = paginate(statement, 2, 2, scalars=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(statements) == 2
    assert (found.items, found.total, found.pages) == (["User 2", "User 3"], 5, 3)
    assert paginate(statement, 9, 2).items == []
    assert paginate(statement, 9, 2, clamp=True).items == [("User 4",)]


def test_the_pager_marks_the_current_page(app):
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "_pager.html" import pager %}{{ pager(page, "admin.users", {"q": "x"}) }}',
            page=Pagination([], 2, 10, 30),
        )
    assert '<nav aria-label="Pages">' in html
    assert 'href="/admin/users/?page=2&amp;q=x" aria-current="page"' in html
    assert 'rel="prev" href="/admin/users/?page=1&amp;q=x"' in html
    assert "Page 2 of 3" in html


def test_one_page_needs_no_pager(app):
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "_pager.html" import pager %}{{ pager(page, "admin.users") }}',
            page=Pagination([], 1, 10, 3),
        )
    assert html.strip() == ""
