"""Learners' drafts, submissions, versions and files, and every bad upload."""

import io
import re
import threading
import zipfile
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from course_engine.deliverables import drafts, services
from course_engine.deliverables.models import Submission, SubmissionFile, SubmissionVersion
from course_engine.errors import Conflict, DomainError
from course_engine.extensions import db
from course_engine.storage import get_storage
from tests.deliverables import factories
from tests.deliverables.conftest import count_rows

URL = "/courses/example-course/deliverables/service-sketch"
ROWS = (Submission, SubmissionVersion, SubmissionFile)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _post(client, *, text=None, files=(), submit=False):
    data = {"files": [(io.BytesIO(body), name) for name, body in files]}
    if text is not None:
        data["text"] = text
    data.update({"submit": "1", "confirm": "y"} if submit else {"save": "1"})
    return client.post(URL, data=data, content_type="multipart/form-data")


def _stored_files(app) -> set[str]:
    return set(get_storage().iter_names())


def test_learner_saves_a_draft_then_submits_through_the_page(world, client_for):
    client = client_for(world["learner"])
    page = client.get(URL)
    assert page.status_code == 200 and "Not submitted yet" in page.text
    assert "/assets/example-course/templates/service-sketch.md" in page.text
    response = _post(client, text="Draft text", files=[("plan.pdf", factories.PDF)])
    assert response.status_code == 302
    assert "You have a draft" in client.get(URL).text
    response = _post(client, text="Final text", submit=True)
    assert response.status_code == 302
    page = client.get(URL)
    assert "Version 1 submitted" in page.text and "plan.pdf" in page.text
    version = db.session.scalar(select(SubmissionVersion))
    assert version.text == "Final text" and version.submitted_at and not version.late
    file = version.files[0]
    assert file.content_type == "application/pdf" and file.size == len(factories.PDF)


def test_resubmitting_keeps_earlier_versions_and_their_files(world):
    first = factories.submit(world["learner"], text="one")
    second = factories.submit(world["learner"], text="two", files=[("more.txt", b"more")])
    versions = services.versions_of(first.submission_id)
    assert [v.text for v in versions] == ["one", "two"]
    assert [len(v.files) for v in versions] == [1, 2]
    assert versions[0].files[0].storage_name == versions[1].files[0].storage_name
    assert second.submission.submitted_count == 2


def test_late_after_due_and_no_resubmission_after_it(world, starts_on):
    starts_on(date.today() - timedelta(days=10))
    version = factories.submit(world["learner"])
    assert version.late is True
    course, _, deliverable = factories.deliverable()
    with pytest.raises(DomainError, match="due date has passed"):
        drafts.submit(deliverable, course, world["learner"].id)


def test_no_relative_date_without_a_start_date(world):
    course, _, deliverable = factories.deliverable()
    assert services.deadlines(deliverable, course, None) == services.Deadlines(None, None)


def test_submit_after_cutoff_is_refused_and_nothing_changes(world, client_for, starts_on):
    course, _, deliverable = factories.deliverable()
    deliverable.cutoff_days = 8
    db.session.commit()
    starts_on(date.today() - timedelta(days=20))
    before, files = count_rows(*ROWS), _stored_files(None)
    response = _post(client_for(world["learner"]), text="Too late", submit=True)
    assert response.status_code == 400
    assert "cut-off date" in response.text and "submissions are closed" in response.text
    assert count_rows(*ROWS) == before and _stored_files(None) == files


def test_extension_and_another_attempt_reopen_submission(world, starts_on):
    from course_engine.deliverables import grading

    course, _, deliverable = factories.deliverable()
    deliverable.cutoff_days = 8
    db.session.commit()
    starts_on(date.today() - timedelta(days=20))
    submission = drafts.ensure_submission(deliverable, world["learner"].id)
    grading.grant_extension(submission, datetime.now() + timedelta(days=2))
    db.session.commit()
    version = factories.submit(world["learner"])
    assert version.late is False
    grading.grant_extension(submission, None)
    grading.grant_attempt(submission)
    db.session.commit()
    again = factories.submit(world["learner"], text="second")
    assert again.number == 2 and again.late is True
    assert again.submission.reopened is False


BAD_FILES = [
    ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200, "is not a real .pdf file"),
    ("tool.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "is not a real .pdf file"),
    ("page.pdf", b"<html><script>alert(1)</script></html>", "is not a real .pdf file"),
    ("notes.txt", b"<svg onload=alert(1)></svg>", "is not plain text"),
    ("notes.md", b"  <!DOCTYPE html><p>hi", "is not plain text"),
    ("notes.txt", b"caf\xe9 latin-1", "is not UTF-8 text"),
    ("notes.txt", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, "is not plain text"),
    ("photo.svg", b"<svg/>", "this type of file is not accepted here"),
    ("run.exe", b"MZ", "this type of file is not accepted here"),
    ("empty.pdf", b"", "is empty"),
]


@pytest.mark.parametrize("submit", [False, True])
@pytest.mark.parametrize(("name", "body", "message"), BAD_FILES)
def test_bad_files_are_refused_and_only_the_text_is_kept(
    world, client_for, name, body, message, submit
):
    files = _stored_files(None)
    statement = "My statement, typed for an hour."
    client = client_for(world["learner"])
    response = _post(client, text=statement, files=[(name, body)], submit=submit)
    assert response.status_code == 400
    assert '<div id="files-error" class="invalid-feedback d-block">' in response.text
    assert message in response.text.split('id="files-error"')[1].split("</div>")[0]
    assert f"\n{statement}</textarea>" in response.text
    assert "Your text was saved as a draft" in response.text
    assert count_rows(SubmissionFile) == (0,) and _stored_files(None) == files
    draft = db.session.scalar(select(SubmissionVersion))
    assert draft.text == statement and draft.submitted_at is None
    assert db.session.scalar(select(Submission)).submitted_count == 0
    assert f"\n{statement}</textarea>" in client.get(URL).text


def test_a_refused_file_without_text_saves_nothing(world, client_for):
    before, files = count_rows(*ROWS), _stored_files(None)
    response = _post(client_for(world["learner"]), files=[("run.exe", b"MZ")])
    assert response.status_code == 400 and 'id="files-error"' in response.text
    assert "Your text was saved" not in response.text
    assert count_rows(*ROWS) == before and _stored_files(None) == files


def test_too_many_files_keeps_the_text_and_stores_no_file(world, client_for):
    _, _, deliverable = factories.deliverable()
    deliverable.max_files = 1
    db.session.commit()
    files = _stored_files(None)
    response = _post(
        client_for(world["learner"]), text="Kept",
        files=[("one.txt", b"one"), ("two.txt", b"two")],
    )  # fmt: skip
    assert response.status_code == 409
    assert "holds 1 file(s)" in response.text.split('id="files-error"')[1]
    assert count_rows(SubmissionFile) == (0,) and _stored_files(None) == files
    assert db.session.scalar(select(SubmissionVersion)).text == "Kept"


def test_submitting_asks_for_confirmation_and_keeps_the_text(world, client_for):
    client = client_for(world["learner"])
    response = client.post(URL, data={"text": "Almost done", "submit": "1"})
    assert response.status_code == 400
    error = response.text.split('id="confirm-error"')[1].split("</div>")[0]
    assert "Tick this box to submit" in error
    assert "\nAlmost done</textarea>" in response.text
    assert "Your text was saved as a draft; nothing was submitted." in response.text
    version = db.session.scalar(select(SubmissionVersion))
    assert version.text == "Almost done" and version.submitted_at is None
    assert client.post(URL, data={"submit": "1", "confirm": "y"}).status_code == 302
    db.session.refresh(version)
    assert version.submitted_at is not None


@pytest.mark.parametrize(
    ("max_files", "file_types", "accept", "multiple", "help"),
    [
        (3, ["pdf", "txt"], ".pdf,application/pdf,.txt,text/plain", True,
         "Accepted: pdf, txt; up to 3 files, 20 MB in all."),
        (1, ["jpg", "jpeg", "png"], ".jpg,image/jpeg,.jpeg,.png,image/png", False,
         "Accepted: jpg, jpeg, png; one file, 20 MB in all."),
    ],
)  # fmt: skip
def test_the_file_input_says_what_it_accepts(
    world, client_for, max_files, file_types, accept, multiple, help
):
    _, _, deliverable = factories.deliverable()
    deliverable.max_files, deliverable.file_types, deliverable.max_size_mb = (
        max_files, file_types, 20
    )  # fmt: skip
    db.session.commit()
    page = client_for(world["learner"]).get(URL).text
    file_input = re.search(r'<input[^>]*id="files"[^>]*>', page).group()
    assert f'accept="{accept}"' in file_input
    assert (" multiple" in file_input) is multiple
    assert help in page
    assert 'rows="12"' in page and 'href="#your-work">Go to your work</a>' in page


@pytest.mark.parametrize(
    ("name", "body"), [("report.docx", _docx()), ("notes.md", "# Plan\n\nCafé ✓".encode())]
)
def test_real_documents_and_text_are_accepted(world, name, body):
    version = factories.submit(world["learner"], files=[(name, body)])
    assert version.files[0].display_name == name


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\boot.txt", "boot.txt"),
        ("evil\x00.txt", "evil.txt"),
        ("bell\x07and\x1bescape.txt", "bellandescape.txt"),
        ("gnp\u202e.txt", "gnp.txt"),
        ("a" * 300 + ".txt", "a" * 107 + ".txt"),
    ],
)
def test_hostile_file_names_become_display_text_only(world, raw, shown):
    version = factories.submit(world["learner"], files=[(raw, b"text")])
    file = version.files[0]
    assert file.display_name == shown
    assert len(file.storage_name) == 32 and get_storage().exists(file.storage_name)


def test_download_is_an_attachment_with_recorded_type_and_sandbox(world, client_for):
    version = factories.submit(world["learner"], files=[("a\u00e9 b.txt", b"hello")])
    file = version.files[0]
    response = client_for(world["learner"]).get(f"{URL}/files/{file.id}")
    assert response.status_code == 200 and response.data == b"hello"
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    response.close()


def test_over_the_deliverable_limit_is_413_stating_the_limit(world, client_for):
    _, _, deliverable = factories.deliverable()
    deliverable.max_size_mb = 0.1
    db.session.commit()
    before, files = count_rows(*ROWS), _stored_files(None)
    big = factories.PDF + b"0" * 200_000
    response = _post(client_for(world["learner"]), files=[("big.pdf", big)])
    assert response.status_code == 413
    assert "0.1 MB at most" in response.text
    assert count_rows(*ROWS) == before and _stored_files(None) == files


def test_a_file_over_the_limit_keeps_the_text_as_a_draft(world, client_for):
    _, _, deliverable = factories.deliverable()
    deliverable.max_size_mb = 0.1
    db.session.commit()
    files = _stored_files(None)
    big = factories.PDF + b"0" * 200_000
    response = _post(client_for(world["learner"]), text="Kept", files=[("big.pdf", big)])
    assert response.status_code == 413
    assert "0.1 MB at most" in response.text.split('id="files-error"')[1]
    assert "Your text was saved as a draft." in response.text
    assert count_rows(SubmissionFile) == (0,) and _stored_files(None) == files
    assert db.session.scalar(select(SubmissionVersion)).text == "Kept"


@pytest.mark.parametrize("app_settings", [{"MAX_CONTENT_LENGTH": 1024 * 1024}])
def test_over_the_request_limit_is_413_stating_the_limit(world, client_for, app_settings):
    before = count_rows(*ROWS)
    body = (
        b'--X\r\nContent-Disposition: form-data; name="files"; filename="big.pdf"\r\n\r\n'
        + b"0" * 2 * 1024 * 1024
        + b"\r\n--X--\r\n"
    )
    response = client_for(world["learner"]).post(
        URL, data=body, content_type="multipart/form-data; boundary=X"
    )
    assert response.status_code == 413 and "1 MB at most" in response.text
    assert count_rows(*ROWS) == before


def test_the_file_limit_holds_when_the_draft_is_stale(world):
    """Two uploads racing for the last place: the counter's conditional update decides."""
    course, _, deliverable = factories.deliverable()
    deliverable.max_files = 1
    db.session.commit()
    learner = world["learner"]
    submission = drafts.ensure_submission(deliverable, learner.id)
    draft = drafts.draft_of(submission)
    db.session.commit()
    # The other upload took the place after this request read the draft.
    db.session.execute(
        SubmissionVersion.__table__.update()
        .values(file_count=1)
        .where(SubmissionVersion.id == draft.id)
    )
    names: list[str] = []
    with pytest.raises(Conflict, match="1 file"):
        drafts._store_upload(
            deliverable, draft, services.Upload(io.BytesIO(b"x"), "b.txt"), get_storage(), names
        )
    assert db.session.scalar(select(SubmissionFile.id)) is None


def test_two_concurrent_uploads_for_the_last_place_give_one_file(app, world, client_for):
    _, _, deliverable = factories.deliverable()
    deliverable.max_files = 1
    db.session.commit()
    learner = world["learner"]
    _post(client_for(learner), text="start")
    barrier, results = threading.Barrier(2), []

    def upload(name):
        client = client_for(learner)
        barrier.wait()
        results.append(_post(client, files=[(name, b"text")]).status_code)

    threads = [threading.Thread(target=upload, args=(f"{n}.txt",)) for n in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    assert sorted(results) == [302, 409]
    assert len(db.session.scalars(select(SubmissionFile)).all()) == 1
    assert len(_stored_files(None)) == 1


def test_guessing_other_peoples_file_ids_gives_404(world, client_for, make_user, enrol):
    file_id = factories.submit(world["learner"]).files[0].id
    other_facilitator = make_user()
    enrol(other_facilitator, "other-course", "facilitator")
    for user, url in [
        (world["other_learner"], f"{URL}/files/{file_id}"),
        (world["peer_reviewer"], f"{URL}/files/{file_id}"),
        (other_facilitator, f"{URL}/files/{file_id}"),
        (other_facilitator, f"/courses/other-course/deliverables/service-sketch/files/{file_id}"),
        (world["learner"], f"{URL}/files/{file_id + 1000}"),
    ]:
        assert client_for(user).get(url).status_code == 404, (user, url)
    before = count_rows(*ROWS)
    response = client_for(world["peer_reviewer"]).post(f"{URL}/files/{file_id}/remove")
    assert response.status_code == 404 and count_rows(*ROWS) == before
