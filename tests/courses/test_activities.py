"""load_activity: the one loader activity pages start with, and the 404s it answers."""

from contextlib import contextmanager

import pytest
from flask_login import login_user
from werkzeug.exceptions import NotFound as HttpNotFound

from course_engine.courses.activities import Activity, load_activity
from course_engine.courses.outline import find_item
from course_engine.errors import NotFound
from course_engine.extensions import db
from course_engine.roles import ALL_ROLES, STAFF, Role

COURSE, DELIVERABLE = "example-course", "service-sketch"


@contextmanager
def signed_in(app, user):
    with app.test_request_context():
        login_user(user)
        yield


def _item_id(item):
    return item.id


def test_a_learner_gets_the_course_item_role_and_record(app, world):
    with signed_in(app, world["learner"]):
        activity = load_activity(COURSE, DELIVERABLE, "deliverable", _item_id)
    assert isinstance(activity, Activity)
    assert (activity.course.slug, activity.item.slug) == (COURSE, DELIVERABLE)
    assert (activity.role, activity.staff) == (Role.LEARNER, False)
    assert activity.record == find_item(COURSE, DELIVERABLE).id


def test_an_admin_runs_every_course(app, world):
    with signed_in(app, world["admin"]):
        activity = load_activity(COURSE, DELIVERABLE, "deliverable", _item_id, STAFF)
    assert (activity.role, activity.staff) == (Role.FACILITATOR, True)


def test_an_unknown_item_is_not_found(app, world):
    with signed_in(app, world["learner"]), pytest.raises(NotFound) as raised:
        load_activity(COURSE, "no-such-item", "deliverable", _item_id)
    assert raised.value.status_code == 404


def test_an_item_of_another_kind_is_not_found(app, world):
    with signed_in(app, world["facilitator"]), pytest.raises(HttpNotFound):
        load_activity(COURSE, DELIVERABLE, "quiz", _item_id)


# A role without permission gets 404, not 403, so item slugs reveal nothing.
@pytest.mark.parametrize(
    ("user", "roles"),
    [
        ("learner", STAFF),
        ("peer_reviewer", STAFF),
        ("learner", {Role.FACILITATOR, Role.PEER_REVIEWER}),
        ("other_learner", ALL_ROLES),
    ],
)
def test_a_role_without_permission_is_not_found_and_nothing_is_loaded(app, world, user, roles):
    loaded = []
    with signed_in(app, world[user]), pytest.raises(HttpNotFound):
        load_activity(COURSE, DELIVERABLE, "deliverable", loaded.append, roles)
    assert loaded == []


def test_an_archived_item_is_reached_by_staff_only(app, world):
    find_item(COURSE, DELIVERABLE).module.archived = True
    db.session.commit()
    with signed_in(app, world["learner"]), pytest.raises(HttpNotFound):
        load_activity(COURSE, DELIVERABLE, "deliverable", _item_id)
    with signed_in(app, world["facilitator"]):
        assert load_activity(COURSE, DELIVERABLE, "deliverable", _item_id).staff
