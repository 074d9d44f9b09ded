"""Hostile input shared by every domain: huge ids, page numbers and NaN, NUL characters."""

import pytest
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from course_engine.discussions.models import Forum
from course_engine.extensions import db
from course_engine.inputs import MAX_ID
from tests.conftest import signed_in_client

HUGE = 99999999999999999999
# The example pack's items, one per kind of page that takes an item slug.
SLUGS = {"course_slug": "example-course", "item_slug": None}
ITEM_BY_AREA = {
    "quizzes": "check-your-understanding",
    "deliverables": "service-sketch",
    "peer-review": "service-sketch",
}


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


def _forum_id() -> int:
    return db.session.scalar(select(Forum.id).order_by(Forum.id).limit(1))


def _id_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
    ]


def _path(rule, number: int) -> str:
    area = next((name for name in ITEM_BY_AREA if f"/{name}/" in rule.rule), None)
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = number
        elif name == "item_slug":
            values[name] = ITEM_BY_AREA[area]
        else:
            values[name] = SLUGS[name]
    return rule.build(values)[1]


def test_every_id_route_is_a_404_for_an_id_no_column_can_hold(app, world):
    rules = _id_rules(app)
    assert len(rules) >= 40
    client = signed_in_client(app, world["admin"])
    for rule in rules:
        method = "GET" if "GET" in rule.methods else "POST"
        for number in (HUGE, MAX_ID + 1, 2**63):
            path = _path(rule, number)
            response = client.open(path, method=method)
            assert response.status_code == 404, f"{method} {path}: {response.status_code}"


def test_the_largest_id_is_still_routed(app):
    adapter = app.url_map.bind("localhost")
    endpoint, values = adapter.match(f"/admin/users/{MAX_ID}")
    assert endpoint == "admin.edit_user" and values == {"user_id": MAX_ID}


@pytest.mark.parametrize(
    "path",
    [
        "/admin/users/?page={n}",
        "/admin/audit?page={n}",
        "/courses/example-course/gradebook?page={n}",
        "/courses/example-course/gradebook?group={n}",
        "/courses/example-course/gradebook.csv?group={n}",
        "/courses/example-course/deliverables/service-sketch/submissions?group={n}",
        "/courses/example-course/discussions/forums/{forum}?page={n}",
        "/courses/example-course/reports?group={n}",
    ],
)
@pytest.mark.parametrize("number", [HUGE, -1, "1e9", "%00"])
def test_huge_or_malformed_page_and_group_numbers_are_a_400(app, world, path, number):
    client = signed_in_client(app, world["admin"])
    response = client.get(path.format(n=number, forum=_forum_id()))
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("value", ["sNaN", "NaN", "-nan", "Infinity", "-inf"])
def test_not_a_number_in_a_weight_is_a_400(app, world, value):
    from course_engine.gradebook.models import CategoryWeight

    client = signed_in_client(app, world["facilitator"])
    path = "/courses/example-course/gradebook/weights"
    response = client.post(path, data={"weight_0": value, "weight_1": "1"})
    assert response.status_code == 400
    assert "not NaN or infinity" in response.text
    assert db.session.scalar(select(func.count()).select_from(CategoryWeight)) == 0


NUL_REQUESTS = [
    ("GET", "/courses/example-course/gradebook?country=Be%00lize", None),
    ("GET", "/courses/example-course/reports?country%00=x", None),
    ("GET", "/courses/exa%00mple/", None),
    ("POST", "/admin/users/new", {"email": "nul@example.org", "name": "N\x00ul"}),
    ("POST", "/courses/example-course/discussions/forums/{forum}/new", {"title": "a\x00b"}),
]


@pytest.mark.parametrize(("method", "path", "data"), NUL_REQUESTS)
def test_a_nul_character_anywhere_in_a_request_is_a_400(app, world, method, path, data):
    from course_engine.auth.models import User

    users = db.session.scalar(select(func.count()).select_from(User))
    client = signed_in_client(app, world["admin"])
    response = client.open(path.format(forum=_forum_id()), method=method, data=data)
    assert response.status_code == 400
    assert "NUL character" in response.text
    assert db.session.scalar(select(func.count()).select_from(User)) == users
