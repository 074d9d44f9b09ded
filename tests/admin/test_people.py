"""Course people: enrol, change roles, groups, remove, self-enrolment keys."""

import pytest
from sqlalchemy import func, select

from course_engine.admin import people
from course_engine.admin.models import EnrolmentKey
from course_engine.audit.models import AuditEntry
from course_engine.courses.models import CohortGroup, Enrolment
from course_engine.courses.services import enrolment_role, get_course
from course_engine.errors import DomainError
from course_engine.extensions import db
from tests.support.queries import count_queries

PEOPLE = "/courses/example-course/people"


def _role(user, slug="example-course"):
    return enrolment_role(user.id, get_course(slug).id)


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def _enrolments() -> list[tuple]:
    return sorted(
        db.session.execute(
            select(Enrolment.user_id, Enrolment.course_id, Enrolment.role, Enrolment.group_id)
        ).all()
    )


@pytest.mark.parametrize("staff", ["facilitator", "admin"])
def test_staff_see_the_people_of_their_course(world, client_for, staff):
    page = client_for(world[staff]).get(PEOPLE)
    assert page.status_code == 200
    assert world["learner"].email in page.text and world["peer_reviewer"].email in page.text
    assert world["other_learner"].email not in page.text


@pytest.mark.parametrize("extra", [0, 80])
def test_people_page_sends_the_same_queries_whatever_the_cohort_size(
    world, client_for, make_user, enrol, extra
):
    for _ in range(extra):
        enrol(make_user(), "example-course")
    client = client_for(world["facilitator"])
    with count_queries() as statements:
        assert client.get(PEOPLE).status_code == 200
    # Sign-in, course, role, people, groups, key.
    assert len(statements) == 6, statements


@pytest.mark.parametrize("staff", ["facilitator", "admin"])
def test_staff_enrol_by_email_and_the_person_gets_a_new_session(
    world, client_for, make_user, enrol, staff
):
    newcomer = make_user(email="new@example.gov")
    # A facilitator enrols at once only people from a course they run.
    enrol(world["facilitator"], "other-course", "facilitator")
    enrol(newcomer, "other-course", "learner")
    token = newcomer.session_token
    response = client_for(world[staff]).post(
        PEOPLE + "/enrol", data={"email": "NEW@example.gov", "role": "learner"}
    )
    assert response.status_code == 302
    db.session.refresh(newcomer)
    assert _role(newcomer) == "learner" and newcomer.session_token != token
    assert _actions() == ["enrolment.add"]


@pytest.mark.parametrize(
    ("staff", "email", "message"),
    [
        ("admin", "nobody@example.gov", "No account uses the email nobody@example.gov."),
        ("facilitator", "LEARNER", "is already enrolled in this course."),
    ],
)
def test_enrolling_an_unknown_or_enrolled_email_changes_nothing(
    world, client_for, staff, email, message
):
    email = world["learner"].email if email == "LEARNER" else email
    before = _enrolments()
    response = client_for(world[staff]).post(
        PEOPLE + "/enrol", data={"email": email, "role": "learner"}
    )
    assert response.status_code == 400 and message in response.text
    assert _enrolments() == before and _actions() == []


def _flashes(client) -> list:
    with client.session_transaction() as session:
        return session.pop("_flashes", [])


def test_a_facilitator_cannot_tell_which_emails_have_accounts_nor_enrol_outsiders(
    world, client_for
):
    outsiders = {
        "nobody": "nobody@example.gov",
        "other course's learner": world["other_learner"].email,
        "admin": world["admin"].email,
    }
    tokens = {user.id: user.session_token for user in world.values()}
    before = _enrolments()
    client = client_for(world["facilitator"])
    answers = set()
    for email in outsiders.values():
        response = client.post(PEOPLE + "/enrol", data={"email": email, "role": "facilitator"})
        flashed = [(kind, text.replace(email, "EMAIL")) for kind, text in _flashes(client)]
        answers.add((response.status_code, response.headers.get("Location"), str(flashed)))
    [(status, location, flashed)] = answers
    assert status == 302 and location.endswith(PEOPLE) and "went to an admin" in flashed
    assert _enrolments() == before
    for user in world.values():
        db.session.refresh(user)
        assert user.session_token == tokens[user.id]
    assert _actions() == ["enrolment.request"] * 3


@pytest.mark.parametrize("action", ["remove", "role"])
def test_a_course_change_by_a_facilitator_never_signs_out_an_admin(
    world, client_for, enrol, action
):
    admin = world["admin"]
    enrol(admin, "example-course", "peer_reviewer")
    token = admin.session_token
    response = client_for(world["facilitator"]).post(
        f"{PEOPLE}/{admin.id}/{action}", data={"role": "learner"}
    )
    assert response.status_code == 302
    db.session.refresh(admin)
    assert admin.session_token == token


def test_removal_leaves_the_persons_other_courses_and_sessions_alone(world, client_for, enrol):
    learner = world["learner"]
    enrol(learner, "other-course", "learner")
    their_client = client_for(learner)
    token = learner.session_token
    response = client_for(world["facilitator"]).post(f"{PEOPLE}/{learner.id}/remove")
    assert response.status_code == 302
    db.session.refresh(learner)
    assert learner.session_token == token and _role(learner) is None
    assert _role(learner, "other-course") == "learner"
    assert their_client.get("/courses/other-course/").status_code == 200
    assert their_client.get("/courses/example-course/").status_code == 404


def test_a_role_change_ends_the_persons_sessions(world, client_for):
    learner = world["learner"]
    their_client = client_for(learner)
    assert their_client.get("/courses/example-course/").status_code == 200
    response = client_for(world["facilitator"]).post(
        f"{PEOPLE}/{learner.id}/role", data={"role": "peer_reviewer"}
    )
    assert response.status_code == 302
    assert _role(learner) == "peer_reviewer"
    # The old cookie no longer signs anyone in.
    assert "/auth/login" in their_client.get("/courses/example-course/").headers["Location"]
    [entry] = db.session.scalars(select(AuditEntry)).all()
    assert (entry.action, entry.details) == (
        "enrolment.role",
        {"role": "peer_reviewer", "previous": "learner"},
    )


def test_staff_set_groups_and_remove_people(world, client_for):
    learner = world["learner"]
    client = client_for(world["facilitator"])
    assert client.post(f"{PEOPLE}/{learner.id}/group", data={"group": "Group A"}).status_code == 302
    group = db.session.scalar(select(CohortGroup))
    assert group.name == "Group A"
    assert "Group A" in client.get(PEOPLE).text
    assert client.post(f"{PEOPLE}/{learner.id}/group", data={"group": ""}).status_code == 302
    assert client.post(f"{PEOPLE}/{learner.id}/remove").status_code == 302
    assert _role(learner) is None
    assert _actions() == ["enrolment.group", "enrolment.group", "enrolment.remove"]


def test_a_facilitator_cannot_change_their_own_enrolment(world, client_for):
    facilitator = world["facilitator"]
    before = _enrolments()
    response = client_for(facilitator).post(
        f"{PEOPLE}/{facilitator.id}/role", data={"role": "learner"}
    )
    assert response.status_code == 400
    assert "You cannot change your own enrolment" in response.text
    assert _enrolments() == before


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("GET", "/courses/other-course/people", {}),
        (
            "POST",
            "/courses/other-course/people/enrol",
            {"email": "x@example.org", "role": "learner"},
        ),
        ("POST", "/courses/other-course/people/{other}/role", {"role": "facilitator"}),
        ("POST", "/courses/other-course/people/{other}/group", {"group": "Mine"}),
        ("POST", "/courses/other-course/people/{other}/remove", {}),
        ("POST", "/courses/other-course/people/key", {"key": "taken-over"}),
        ("POST", "/courses/other-course/people/key/clear", {}),
        # Course A's page, but a person of course B.
        ("POST", "/courses/example-course/people/{other}/role", {"role": "facilitator"}),
        ("POST", "/courses/example-course/people/{other}/remove", {}),
    ],
)
def test_a_facilitator_cannot_touch_another_course(world, client_for, method, path, data):
    before = _enrolments()
    path = path.format(other=world["other_learner"].id)
    response = client_for(world["facilitator"]).open(path, method=method, data=data)
    assert response.status_code == 404
    assert _enrolments() == before
    assert db.session.scalar(select(func.count()).select_from(EnrolmentKey)) == 0
    assert _actions() == []


def test_key_is_stored_as_a_hash_and_can_be_cleared(world, client_for):
    client = client_for(world["facilitator"])
    assert client.post(PEOPLE + "/key", data={"key": "caricad-2027"}).status_code == 302
    entry = db.session.scalar(select(EnrolmentKey))
    assert "caricad-2027" not in entry.key_hash and len(entry.key_hash) == 64
    assert "Open:" in client.get(PEOPLE).text
    assert client.post(PEOPLE + "/key/clear").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(EnrolmentKey)) == 0


def test_a_short_key_is_refused(world, client_for):
    response = client_for(world["facilitator"]).post(PEOPLE + "/key", data={"key": "abc"})
    assert response.status_code == 400
    assert "at least 6 characters" in response.text
    assert db.session.scalar(select(func.count()).select_from(EnrolmentKey)) == 0


def _open(world, key="caricad-2027"):
    people.set_key(world["facilitator"], get_course("example-course"), key)
    db.session.commit()


def test_a_user_joins_with_the_key_and_keeps_a_working_session(world, client_for, make_user):
    _open(world)
    user = make_user()
    client = client_for(user)
    assert client.get("/join").status_code == 200
    response = client.post("/join", data={"course": "example-course", "key": "caricad-2027"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/courses/example-course/"
    assert _role(user) == "learner"
    assert client.get("/courses/example-course/").status_code == 200
    assert _actions()[-1] == "enrolment.self_join"


@pytest.mark.parametrize(
    ("course", "key"),
    [
        ("example-course", "wrong-key"),
        ("other-course", "caricad-2027"),  # a course without a key
        ("no-such-course", "caricad-2027"),
    ],
)
def test_a_wrong_key_or_course_enrols_nobody(world, client_for, make_user, course, key):
    _open(world)
    user = make_user()
    before = _enrolments()
    response = client_for(user).post("/join", data={"course": course, "key": key})
    assert response.status_code == 400
    assert "That course code and enrolment key do not match" in response.text
    assert _enrolments() == before


def test_joining_a_course_one_is_in_changes_nothing(world):
    _open(world)
    with pytest.raises(DomainError, match="already enrolled"):
        people.join_with_key(world["peer_reviewer"], "example-course", "caricad-2027")
    assert _role(world["peer_reviewer"]) == "peer_reviewer"


def test_key_attempts_are_rate_limited(world, client_for, make_user):
    _open(world)
    client = client_for(make_user())
    statuses = [
        client.post("/join", data={"course": "example-course", "key": f"guess-{n}"}).status_code
        for n in range(11)
    ]
    assert statuses == [400] * 10 + [429]
    right = client.post("/join", data={"course": "example-course", "key": "caricad-2027"})
    assert right.status_code == 429


def test_outline_and_dashboard_link_to_people_join_and_certificates(world, client_for):
    staff_outline = client_for(world["facilitator"]).get("/courses/example-course/").text
    assert PEOPLE in staff_outline and "/courses/example-course/certificates" in staff_outline
    learner = client_for(world["learner"])
    outline = learner.get("/courses/example-course/").text
    assert PEOPLE not in outline and "/courses/example-course/certificate" in outline
    assert "/join" in learner.get("/").text
