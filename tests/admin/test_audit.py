"""The audit log page."""

import pytest

from course_engine.audit.services import record
from course_engine.extensions import db
from tests.support.queries import count_queries


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False}


def _client(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
    return client


def test_audit_log_lists_newest_first_and_filters_by_action(app, make_user):
    admin = make_user(email="boss@example.org", is_admin=True)
    record(admin.id, "user.create", target="user:1", email="first@example.org")
    record(admin.id, "user.deactivate", target="user:2")
    record(None, "user.create", target="user:3", email="second@example.org")
    db.session.commit()
    page = _client(app, admin).get("/admin/audit").text
    assert page.index("second@example.org") < page.index("user:2") < page.index("first@example.org")
    assert "(deleted account)" in page and "boss@example.org" in page
    filtered = _client(app, admin).get("/admin/audit?action=user.deactivate").text
    assert "user:2" in filtered and "user:1" not in filtered


@pytest.mark.parametrize("entries", [3, 130])
def test_audit_log_pages_in_a_fixed_number_of_queries(app, make_user, entries):
    admin = make_user(is_admin=True)
    for number in range(entries):
        record(admin.id, "user.update", target=f"user:{number}")
    db.session.commit()
    with count_queries() as statements:
        response = _client(app, admin).get("/admin/audit?page=1")
    assert response.status_code == 200
    # Sign-in lookup, count, page of entries, list of actions.
    assert len(statements) == 4, statements
    if entries > 50:
        assert "Page 1 of 3" in response.text
