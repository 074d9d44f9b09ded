"""Blind marking: no staff page names, locates or groups the author until the grade is released."""

import pytest
from sqlalchemy import select

from course_engine.courses.services import set_group
from course_engine.deliverables import blind, grading
from course_engine.deliverables.models import Assessment
from course_engine.deliverables.services import versions_of
from course_engine.extensions import db
from tests.deliverables import factories
from tests.deliverables.factories import AUTHOR, GROUP

URL = "/courses/example-course/deliverables/service-sketch"
SILENT = {"email": "sam.silent@example.gov", "name": "Sam Silent", "country": "Guyana"}
# Everything that says who someone is, for the author and for a learner who never submits.
FILE = "Ana_Author_sketch.pdf"
REVEALING = [*AUTHOR.values(), GROUP, *SILENT.values(), FILE]


@pytest.fixture
def blind_world(world, make_user, enrol):
    course, _, deliverable = factories.deliverable()
    deliverable.blind_marking = True
    author, silent = make_user(**AUTHOR), make_user(**SILENT)
    enrol(author, "example-course")
    enrol(silent, "example-course")
    set_group(author.id, course.id, GROUP)
    set_group(silent.id, course.id, GROUP)
    db.session.commit()
    submission = factories.submit(author, files=((FILE, factories.PDF),)).submission
    return deliverable, author, submission


def _staff_pages(client, submission, group_id) -> dict[str, str]:
    return {
        path: client.get(URL + path).text
        for path in [
            "/submissions",
            f"/submissions?group={group_id}",
            "/submissions?country=Suriname",
            "/submissions?status=not_submitted",
            f"/submissions/{submission.id}",
        ]
    }


def _group_id(course_id):
    from course_engine.gradebook.report import groups

    return groups(course_id)[0][0]


def test_no_staff_page_reveals_the_author_before_release(blind_world, client_for, world):
    deliverable, _, submission = blind_world
    pages = _staff_pages(
        client_for(world["facilitator"]), submission, _group_id(deliverable.course_id)
    )
    for path, page in pages.items():
        leaks = [text for text in REVEALING if text in page]
        assert not leaks, f"{path} shows {leaks}"
    assert f"Participant {submission.pseudonym}" in pages["/submissions"]
    [file] = [f for version in versions_of(submission.id) for f in version.files]
    download = client_for(world["facilitator"]).get(f"{URL}/files/{file.id}")
    assert FILE not in download.headers["Content-Disposition"]
    assert f"file-{file.id}.pdf" in download.headers["Content-Disposition"]
    download.close()
    # Learners who have not started are counted, not named: the world's and Sam.
    assert "and 2 more who have not started" in pages["/submissions"]


def test_after_release_staff_see_who_wrote_it(blind_world, client_for, world):
    deliverable, _, submission = blind_world
    levels = {"clarity": "2"}
    grading.save_assessment(
        deliverable, submission, world["facilitator"].id, lock_version=None, levels=levels,
        score=None, feedback="", release=True,
    )  # fmt: skip
    db.session.commit()
    staff = client_for(world["facilitator"])
    queue = staff.get(URL + "/submissions").text
    assert all(text in queue for text in ("Ana Author", "Suriname", GROUP))
    assert "Sam Silent" not in queue
    page = staff.get(f"{URL}/submissions/{submission.id}").text
    assert "Ana Author" in page and FILE in page


def test_the_rule_hides_every_detail_until_release_and_counts_non_submitters(blind_world):
    deliverable, author, submission = blind_world
    hidden = blind.staff_author(deliverable, submission, None, author, GROUP)
    assert hidden == blind.StaffAuthor(f"Participant {submission.pseudonym}", hidden=True)
    assert blind.staff_author(deliverable, None, None, author, GROUP) is None
    released = Assessment(submission_id=submission.id, state="released")
    shown = blind.staff_author(deliverable, submission, released, author, GROUP)
    assert (shown.label, shown.email, shown.country, shown.group) == (
        "Ana Author",
        AUTHOR["email"],
        "Suriname",
        GROUP,
    )
    assert db.session.scalars(select(Assessment)).all() == []
