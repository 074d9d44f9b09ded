"""Facilitators' grading: queue, rubric, release, locking, blind marking, objectives."""

import pytest
from sqlalchemy import select

from course_engine.courses.models import ProgressStatus
from course_engine.courses.outline import find_item
from course_engine.courses.progress import item_status
from course_engine.courses.services import set_group
from course_engine.deliverables import grading, grading_queue
from course_engine.deliverables.models import Assessment
from course_engine.extensions import db
from course_engine.gradebook.models import Grade
from tests.deliverables import factories
from tests.deliverables.conftest import count_rows

URL = "/courses/example-course/deliverables/service-sketch"


def test_grade_with_rubric_then_release_and_learner_sees_it(world, client_for):
    submission_id = factories.submit(world["learner"]).submission_id
    staff = client_for(world["facilitator"])
    page = staff.get(f"{URL}/submissions/{submission_id}")
    assert page.status_code == 200 and "sketch.pdf" in page.text and 'type="radio"' in page.text
    response = staff.post(
        f"{URL}/submissions/{submission_id}",
        data={"criterion-clarity": "2", "feedback": "Nice <script>x</script>", "save": "1"},
    )
    assert response.status_code == 302
    grade = db.session.scalar(select(Grade))
    assert (grade.score, grade.max_score, grade.released) == (2.0, 2.0, False)
    assert grade.category == "deliverables"
    learner = client_for(world["learner"])
    assert "Your grade" not in learner.get(URL).text
    lock = db.session.scalar(select(Assessment.lock_version))
    response = staff.post(f"{URL}/submissions/{submission_id}/release", data={"lock_version": lock})
    assert response.status_code == 302
    page = learner.get(URL).text
    assert "Your grade" in page and "Nice" in page and "<script>" not in page
    assert db.session.scalar(select(Grade.released)) is True


def test_a_level_that_is_not_in_the_rubric_is_refused(world, client_for):
    submission_id = factories.submit(world["learner"]).submission_id
    response = client_for(world["facilitator"]).post(
        f"{URL}/submissions/{submission_id}", data={"criterion-clarity": "99", "save": "1"}
    )
    assert response.status_code == 400 and "choose one of the rubric" in response.text
    assert count_rows(Assessment, Grade) == (0, 0)


def test_release_needs_every_criterion(world):
    submission = factories.submit(world["learner"]).submission
    _, _, deliverable = factories.deliverable()
    with pytest.raises(Exception, match="every criterion"):
        grading.save_assessment(
            deliverable, submission, world["facilitator"].id, lock_version=None, levels={},
            score=None, feedback="", release=True,
        )  # fmt: skip


def test_a_stale_save_gets_409_and_overwrites_nothing(world, client_for, make_user, enrol):
    submission_id = factories.submit(world["learner"]).submission_id
    second = make_user()
    enrol(second, "example-course", "facilitator")
    first_client, second_client = client_for(world["facilitator"]), client_for(second)
    url = f"{URL}/submissions/{submission_id}"
    first_client.post(url, data={"criterion-clarity": "0", "feedback": "first", "save": "1"})
    lock = db.session.scalar(select(Assessment.lock_version))
    first_client.post(
        url, data={"criterion-clarity": "2", "feedback": "first again", "lock_version": lock}
    )
    response = second_client.post(
        url, data={"criterion-clarity": "0", "feedback": "second", "lock_version": lock}
    )
    assert response.status_code == 409 and "Someone else saved this grading" in response.text
    # The refused grader's entries come back in the form; the grade shown is the saved one.
    assert "\nsecond</textarea>" in response.text
    assert 'value="0" checked' in response.text and "2 / " in response.text
    db.session.expire_all()
    assessment = db.session.scalar(select(Assessment))
    assert assessment.feedback == "first again" and assessment.levels == {"clarity": 2}


def test_queue_filters_by_status_group_and_country(world, client_for, make_user, enrol):
    course, _, deliverable = factories.deliverable()
    other = make_user(country="Belize", name="Zed")
    enrol(other, "example-course")
    set_group(world["learner"].id, course.id, "Blue")
    db.session.commit()
    factories.submit(world["learner"])
    rows = grading_queue.queue(deliverable).rows
    assert {row.status for row in rows} == {"to_grade", "not_submitted"}
    assert [r.user_id for r in grading_queue.queue(deliverable, status="to_grade").rows] == [
        world["learner"].id
    ]
    from course_engine.gradebook.report import groups

    ((blue_id, _),) = groups(course.id)
    assert [r.user_id for r in grading_queue.queue(deliverable, group_id=blue_id).rows] == [
        world["learner"].id
    ]
    belize = grading_queue.queue(deliverable, country="Belize").rows
    assert [r.user_id for r in belize] == [other.id]
    page = client_for(world["facilitator"]).get(f"{URL}/submissions?country=Jamaica")
    assert page.status_code == 200 and world["learner"].display_name in page.text
    assert "Zed" not in page.text


def test_blind_marking_shows_a_stable_pseudonym_until_release(world, client_for):
    _, _, deliverable = factories.deliverable()
    deliverable.blind_marking = True
    db.session.commit()
    submission = factories.submit(world["learner"]).submission
    staff = client_for(world["facilitator"])
    name = world["learner"].display_name
    for path in ["/submissions", f"/submissions/{submission.id}"]:
        page = staff.get(URL + path).text
        assert f"Participant {submission.pseudonym}" in page and name not in page
    levels = {"clarity": "2"}
    grading.save_assessment(
        deliverable, submission, world["facilitator"].id, lock_version=None, levels=levels,
        score=None, feedback="", release=True,
    )  # fmt: skip
    db.session.commit()
    assert name in staff.get(f"{URL}/submissions/{submission.id}").text


def test_blind_marking_keeps_draft_grades_out_of_the_gradebook(world, client_for):
    _, _, deliverable = factories.deliverable()
    deliverable.blind_marking = True
    db.session.commit()
    submission = factories.submit(world["learner"]).submission
    grade = dict(lock_version=None, levels={"clarity": "2"}, score=None, feedback="", release=False)
    grading.save_assessment(deliverable, submission, world["facilitator"].id, **grade)
    db.session.commit()
    assert db.session.scalars(select(Grade)).all() == []
    assessment = grading.assessment_of(submission.id)
    grading.release(deliverable, submission, assessment.lock_version)
    db.session.commit()
    (recorded,) = db.session.scalars(select(Grade)).all()
    assert recorded.user_id == world["learner"].id and recorded.released


def test_release_all_and_feedback_file_only_after_release(world, client_for):
    submission = factories.graded(
        world["learner"], release=False, feedback_file=("notes.md", b"# Notes")
    )
    learner = client_for(world["learner"])
    assert learner.get(f"{URL}/submissions/{submission.id}/feedback-file").status_code == 404
    response = client_for(world["facilitator"]).post(f"{URL}/release-all")
    assert response.status_code == 302
    download = learner.get(f"{URL}/submissions/{submission.id}/feedback-file")
    assert download.status_code == 200 and download.data == b"# Notes"
    assert download.headers["Content-Disposition"].startswith("attachment")
    download.close()


def test_peer_score_is_weighted_into_the_grade(world):
    _, _, deliverable = factories.deliverable()
    deliverable.peer_review = {"weight_percent": 50}
    db.session.commit()
    submission = factories.graded(world["learner"])
    grading.record_peer_score(submission.id, 0)
    db.session.commit()
    assert db.session.scalar(select(Grade.score)) == 1.0


def test_a_peer_score_before_any_grading_leaves_the_submission_to_grade(world):
    _, _, deliverable = factories.deliverable()
    submission = factories.submit(world["learner"]).submission
    grading.record_peer_score(submission.id, 80)
    db.session.commit()
    (row,) = [row for row in grading_queue.queue(deliverable).rows if row.submission is not None]
    assert row.status == grading_queue.QueueStatus.TO_GRADE
    assert db.session.scalars(select(Grade)).all() == []


def test_objectives_show_beside_later_deliverables(world, client_for, tmp_path, import_pack):
    import shutil

    from tests.conftest import EXAMPLE_PACK

    folder = tmp_path / "pack"
    shutil.copytree(EXAMPLE_PACK, folder)
    manifest = folder / "course.yaml"
    text = manifest.read_text()
    extra = (
        "          - id: personal-objectives\n"
        "            kind: deliverable\n"
        "            title: Objectives\n"
        "            instructions: deliverables/service-sketch.md\n"
    )
    manifest.write_text(
        text.replace("          - id: service-sketch\n", extra + "          - id: service-sketch\n")
    )
    import_pack(folder)
    factories.submit(world["learner"], text="I want to fix permits", files=(),
                     item_slug="personal-objectives")  # fmt: skip
    submission_id = factories.submit(world["learner"]).submission_id
    assert "I want to fix permits" in client_for(world["learner"]).get(URL).text
    staff_page = client_for(world["facilitator"]).get(f"{URL}/submissions/{submission_id}").text
    assert "I want to fix permits" in staff_page


def test_guessed_submission_ids_give_404(world, client_for, make_user, enrol):
    submission_id = factories.submit(world["learner"]).submission_id
    other_facilitator = make_user()
    enrol(other_facilitator, "other-course", "facilitator")
    client = client_for(other_facilitator)
    for url in [
        f"{URL}/submissions/{submission_id}",
        f"/courses/other-course/deliverables/service-sketch/submissions/{submission_id}",
    ]:
        assert client.get(url).status_code == 404
    before = count_rows(Assessment)
    response = client.post(
        f"/courses/other-course/deliverables/service-sketch/submissions/{submission_id}",
        data={"criterion-clarity": "2"},
    )
    assert response.status_code == 404 and count_rows(Assessment) == before
    learner = client_for(world["learner"])
    assert learner.get(f"{URL}/submissions/{submission_id}").status_code == 404
    assert learner.get(f"{URL}/submissions/{submission_id}/feedback-file").status_code == 404


def _completed(user) -> bool:
    item = find_item("example-course", "service-sketch")
    return item_status(user.id, item.id) == ProgressStatus.DONE


def test_a_deliverable_is_completed_by_its_released_grade_not_by_handing_it_in(world):
    submission = factories.graded(world["learner"], release=False)
    assert not _completed(world["learner"])
    _, _, deliverable = factories.deliverable()
    grading.release(deliverable, submission, grading.assessment_of(submission.id).lock_version)
    db.session.commit()
    assert _completed(world["learner"])


def test_releasing_every_grade_completes_each_graded_learner(world):
    factories.graded(world["learner"], release=False)
    _, _, deliverable = factories.deliverable()
    assert grading.release_all(deliverable) == 1
    db.session.commit()
    assert _completed(world["learner"])


def test_refused_grading_forms_show_the_page_again_with_the_entries(world, client_for):
    submission_id = factories.submit(world["learner"]).submission_id
    staff = client_for(world["facilitator"])
    page = f"{URL}/submissions/{submission_id}"
    long_feedback = "Detailed. " * 10_001
    response = staff.post(page, data={"criterion-clarity": "2", "feedback": long_feedback})
    assert response.status_code == 400
    assert "Field cannot be longer than 100000 characters." in response.text
    assert long_feedback.strip() in response.text
    assert count_rows(Assessment) == (0,)
    response = staff.post(f"{page}/extension", data={"due": "next Tuesday"})
    assert response.status_code == 400
    error = response.text.split('id="due-error"')[1].split("</div>")[0]
    assert "Give the due date as a date and time." in error
