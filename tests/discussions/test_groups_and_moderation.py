"""Peer groups (separate-groups forums, CSV upload) and facilitators' moderation."""

import io

import pytest
from sqlalchemy import func, select

from course_engine.audit.models import AuditEntry
from course_engine.courses.models import CohortGroup, Enrolment
from course_engine.courses.services import get_course, set_group
from course_engine.discussions.models import Forum, ForumKind, GroupMode, Post, PostReport, Thread
from course_engine.extensions import db
from tests.discussions import factories

C = "/courses/example-course"
D = f"{C}/discussions"


@pytest.fixture
def groups(world, make_user, enrol):
    """Split the example course into two groups and make the introductions forum separate."""
    course_id = get_course("example-course").id
    peer, stranger = make_user(country="Belize"), make_user(country="Guyana")
    for user in (peer, stranger):
        enrol(user, "example-course")
    set_group(world["learner"].id, course_id, "Blue")
    set_group(peer.id, course_id, "Blue")
    set_group(stranger.id, course_id, "Green")
    factories.forum().groups = GroupMode.SEPARATE
    db.session.commit()
    return {"peer": peer, "stranger": stranger}


def test_separate_groups_see_only_their_own_threads(world, groups, client_for):
    thread = factories.thread(world["learner"], title="Blue talk")
    forum_id = thread.forum_id
    assert client_for(groups["peer"]).post(
        f"{D}/threads/{thread.id}/reply", data={"body": "Blue reply"}
    ).status_code == 302  # fmt: skip
    stranger = client_for(groups["stranger"])
    assert "Blue talk" not in stranger.get(f"{D}/forums/{forum_id}").text
    before = db.session.scalar(select(func.count(Post.id)))
    assert stranger.get(f"{D}/threads/{thread.id}").status_code == 404
    assert stranger.post(f"{D}/threads/{thread.id}/reply", data={"body": "x"}).status_code == 404
    assert "Blue talk" not in stranger.get(f"{D}/search?q=Blue").text
    assert db.session.scalar(select(func.count(Post.id))) == before
    staff = client_for(world["facilitator"])
    assert "Blue talk" in staff.get(f"{D}/forums/{forum_id}").text
    assert "Blue reply" in staff.get(f"{D}/threads/{thread.id}").text
    # A facilitator's thread in a separate-groups forum is for every group.
    staff_thread = factories.thread(world["facilitator"], title="For all groups")
    assert stranger.get(f"{D}/threads/{staff_thread.id}").status_code == 200


def test_group_page_assigns_one_learner(world, client_for):
    client = client_for(world["facilitator"])
    assert world["learner"].email in client.get(f"{C}/groups").text
    response = client.post(
        f"{C}/groups/assign", data={"user_id": world["learner"].id, "group": "Mixed 1"}
    )
    assert response.status_code == 302
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == world["learner"].id))
    assert db.session.get(CohortGroup, enrolment.group_id).name == "Mixed 1"
    assert db.session.scalar(select(AuditEntry.action)) == "discussions.group.assign"
    # The facilitator is not a learner of the course; another course's learner is not here at all.
    for user in ("facilitator", "other_learner"):
        data = {"user_id": world[user].id, "group": "X"}
        assert client.post(f"{C}/groups/assign", data=data).status_code == 404


def _upload(client, text: str):
    return client.post(
        f"{C}/groups/upload",
        data={"file": (io.BytesIO(text.encode()), "groups.csv")},
        content_type="multipart/form-data",
    )


def test_group_csv_sets_every_line(world, client_for, make_user, enrol):
    peer = make_user(email="peer@example.org")
    enrol(peer, "example-course")
    text = f"email,group\n{world['learner'].email.upper()},North\npeer@example.org,South\n"
    response = _upload(client_for(world["facilitator"]), text)
    assert response.status_code == 302
    names = dict(
        db.session.execute(
            select(Enrolment.user_id, CohortGroup.name).join(
                CohortGroup, CohortGroup.id == Enrolment.group_id
            )
        ).all()
    )
    assert names == {world["learner"].id: "North", peer.id: "South"}


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (
            "learner@nowhere.org,North\n{learner},{long}\n{other},South\n",
            [
                "line 1: no learner with the email 'learner@nowhere.org' in this course",
                "line 2: A group name can be at most 80 characters.",
                "line 3: no learner with the email '{other}' in this course",
            ],
        ),
        ("{learner},North\n{learner},South\n", ["line 2: '{learner}' is already on line 1"]),
        ("{learner},North,extra\n", ["line 1: expected two columns, email and group"]),
        ("email,group\n", ["the file has no lines of the form email,group"]),
        ("{learner}," + "G" * 140_000 + "\n", ["line 1: a field is longer than 128 KB"]),
        ("{learner},No\x00rth\n", ["the file contains a NUL character"]),
    ],
)
def test_bad_group_csv_changes_nothing(world, client_for, text, problems):
    values = {
        "learner": world["learner"].email,
        "other": world["other_learner"].email,
        "long": "G" * 81,
    }
    response = _upload(client_for(world["facilitator"]), text.format(**values))
    assert response.status_code == 400
    assert "no group was changed" in response.text
    for problem in problems:
        assert problem.format(**values).replace("'", "&#39;") in response.text
    assert db.session.scalar(select(func.count(CohortGroup.id))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


@pytest.mark.parametrize("action", ["pin", "lock", "move", "delete"])
def test_thread_moderation_is_applied_and_audited(world, client_for, action):
    thread = factories.thread(world["learner"])
    general = factories.forum(kind=ForumKind.GENERAL)
    data = {"action": action, "forum_id": general.id}
    response = client_for(world["facilitator"]).post(f"{D}/threads/{thread.id}/moderate", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    found = db.session.get(Thread, thread.id)
    expected = {
        "pin": lambda: found.pinned,
        "lock": lambda: found.locked,
        "move": lambda: found.forum_id == general.id,
        "delete": lambda: found is None,
    }
    assert expected[action]()
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.target, entry.actor_id) == (
        f"discussions.thread.{action}", f"thread:{thread.id}", world["facilitator"].id
    )  # fmt: skip


def test_learners_cannot_moderate(world, client_for):
    thread = factories.thread(world["learner"])
    post = db.session.scalar(select(Post))
    client = client_for(world["learner"])
    assert (
        client.post(f"{D}/threads/{thread.id}/moderate", data={"action": "pin"}).status_code == 404
    )
    assert client.post(f"{D}/posts/{post.id}/moderate", data={"action": "hide"}).status_code == 404
    db.session.refresh(thread)
    db.session.refresh(post)
    assert not thread.pinned and not post.hidden
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_moving_to_another_courses_forum_is_refused(world, client_for):
    thread = factories.thread(world["learner"])
    elsewhere = factories.forum("other-course", ForumKind.GENERAL)
    response = client_for(world["facilitator"]).post(
        f"{D}/threads/{thread.id}/moderate", data={"action": "move", "forum_id": elsewhere.id}
    )
    assert response.status_code == 400
    assert "Choose a forum of this course" in response.text
    db.session.refresh(thread)
    assert db.session.get(Forum, thread.forum_id).course_id == get_course("example-course").id


def test_hide_and_restore_a_post(world, client_for):
    thread = factories.thread(world["learner"], body="Something unkind")
    post = db.session.scalar(select(Post))
    staff = client_for(world["facilitator"])
    assert staff.post(f"{D}/posts/{post.id}/moderate", data={"action": "hide"}).status_code == 302
    page = client_for(world["peer_reviewer"]).get(f"{D}/threads/{thread.id}").text
    assert "Something unkind" not in page and "A facilitator hid this post." in page
    assert "Something unkind" in staff.get(f"{D}/threads/{thread.id}").text
    again = staff.post(f"{D}/posts/{post.id}/moderate", data={"action": "hide"})
    assert again.status_code == 409 and "already hidden" in again.text
    assert (
        staff.post(f"{D}/posts/{post.id}/moderate", data={"action": "restore"}).status_code == 302
    )
    db.session.refresh(post)
    assert not post.hidden
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["discussions.post.hide", "discussions.post.restore"]


def test_reports_reach_the_facilitators_queue(world, client_for):
    factories.thread(world["learner"], body="Spam spam")
    post = db.session.scalar(select(Post))
    reporter = client_for(world["peer_reviewer"])
    response = reporter.post(f"{D}/posts/{post.id}/report", data={"reason": "Advertising"})
    assert response.status_code == 302
    twice = reporter.post(f"{D}/posts/{post.id}/report", data={"reason": "Again"})
    assert twice.status_code == 409 and "already reported" in twice.text
    empty = client_for(world["facilitator"]).post(
        f"{D}/posts/{post.id}/report", data={"reason": ""}
    )
    assert empty.status_code == 400
    staff = client_for(world["facilitator"])
    queue = staff.get(f"{D}/reports").text
    assert "Advertising" in queue and "Spam spam" in queue
    report = db.session.scalar(select(PostReport))
    assert staff.post(f"{D}/reports/{report.id}/resolve").status_code == 302
    assert "No open reports." in staff.get(f"{D}/reports").text
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["discussions.post.report", "discussions.report.resolve"]
