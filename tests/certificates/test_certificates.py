"""Completion, issuing once, the PDF, verification and revocation."""

import io
import threading

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from course_engine.audit.models import AuditEntry
from course_engine.certificates import pdf, services
from course_engine.certificates.models import Certificate
from course_engine.courses.models import Item
from course_engine.courses.services import get_course
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db

MINE = "/courses/example-course/certificate"


def _certificates() -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate))


def test_completion_counts_required_current_items_of_the_completion_tracks(world, finish):
    course = get_course("example-course")
    progress = services.completion(world["learner"].id, course)
    assert [(t.slug, t.done) for t in progress.tracks] == [("main", 0)]
    assert progress.total > 0 and not progress.complete
    finish(world["learner"], skip={"welcome"})
    assert not services.completion(world["learner"].id, course).complete
    # Archiving the missing item takes it out of the rules.
    db.session.execute(db.update(Item).where(Item.slug == "welcome").values(archived=True))
    assert services.completion(world["learner"].id, course).complete


def test_a_course_without_completion_tracks_awards_nothing(world, finish):
    course = get_course("example-course")
    course.completion = {}
    db.session.commit()
    finish(world["learner"])
    with pytest.raises(DomainError, match="does not award certificates"):
        services.issue(world["learner"], course)
    assert _certificates() == 0


def test_requesting_a_certificate_before_completion_issues_nothing(world, finish, client_for):
    finish(world["learner"], skip={"service-sketch"})
    client = client_for(world["learner"])
    page = client.get(MINE)
    assert "1 required item to go." in page.text and "Get my certificate" not in page.text
    response = client.post(MINE)
    assert response.status_code == 400
    assert "You have not completed the course yet" in response.text
    assert "No certificate was issued." in response.text
    assert _certificates() == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    assert client.get(MINE + ".pdf").status_code == 404


def test_marking_every_item_done_by_hand_earns_no_certificate(world, client_for):
    client = client_for(world["learner"])
    slugs = db.session.scalars(
        select(Item.slug).where(Item.course_id == get_course("example-course").id)
    ).all()
    refused = [
        s
        for s in slugs
        if client.post(f"/courses/example-course/items/{s}/done").status_code == 400
    ]
    assert sorted(refused) == sorted(set(slugs) - {"welcome", "service-design"})
    response = client.post(MINE)
    assert response.status_code == 400 and "No certificate was issued." in response.text
    assert _certificates() == 0
    assert client.get(MINE + ".pdf").status_code == 404


def test_a_completed_learner_gets_one_certificate_and_downloads_it(world, finish, client_for):
    finish(world["learner"])
    client = client_for(world["learner"])
    assert "Get my certificate" in client.get(MINE).text
    assert client.post(MINE).status_code == 302
    assert client.post(MINE).status_code == 302  # asking again returns the same certificate
    [certificate] = db.session.scalars(select(Certificate)).all()
    assert certificate.tracks == ["Main track"]
    assert services.normalise_code(certificate.code) == certificate.code
    page = client.get(MINE).text
    assert certificate.code in page
    response = client.get(MINE + ".pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.data.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    for expected in (
        world["learner"].display_name,
        "Example course",
        "Main track",
        certificate.code,
    ):
        assert expected in text


def test_issue_is_idempotent_under_a_race(app, world, finish):
    """Two requests at once insert one row; the loser returns the winner's certificate."""
    finish(world["learner"])
    course = get_course("example-course")
    user_id = world["learner"].id
    codes, barrier = [], threading.Barrier(2)

    def request():
        with app.app_context():
            from course_engine.auth.models import User

            user = db.session.get(User, user_id)
            barrier.wait()
            certificate = services.issue(user, db.session.get(type(course), course.id))
            db.session.commit()
            codes.append(certificate.code)
            db.session.remove()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(codes) == 2 and codes[0] == codes[1]
    assert _certificates() == 1


def test_the_unique_constraint_returns_the_existing_certificate(world, finish, monkeypatch):
    finish(world["learner"])
    course = get_course("example-course")
    first = services.issue(world["learner"], course)
    db.session.commit()
    # As if another request issued it between our look-up and our insert.
    monkeypatch.setattr(services, "certificate_for", _second_call_finds(first))
    assert services.issue(world["learner"], course).code == first.code
    db.session.commit()
    assert _certificates() == 1


def _second_call_finds(certificate):
    calls = iter([None, certificate])
    return lambda *_args: next(calls)


HOSTILE_NAMES = [
    "Zoë Ñúñez",
    "Ƙwame Nkrumah",
    "Jan-Bátis Pòl-Prens",  # Haitian Creole
    "<script>alert(1)</script>",
    "محمد الأحمد",
    "שרה כהן",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_pdf_draws_hostile_and_non_latin_names_literally(world, finish, name):
    learner = world["learner"]
    learner.display_name = name
    finish(learner)
    certificate = services.issue(learner, get_course("example-course"))
    data = pdf.render(certificate, "http://localhost/certificates/verify/X")
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data  # the TrueType font is embedded, not referenced
    assert b"NotoSans" in data
    assert b"<script>" not in data and b"/JavaScript" not in data and b"/URI" not in data
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    # Ligature glyphs (Arabic lam-alef) can extract with a stray control character.
    text = "".join(char for char in text if char >= " " or char == "\n")
    if name.isascii() or name[0] in "ZƘJ":
        assert name in text
    else:
        # Right-to-left words come out in visual order; each word is drawn whole.
        assert all(word in text for word in name.split())


def test_every_font_the_certificate_needs_ships_in_an_installed_package():
    for path in pdf.certificate_fonts().values():
        assert path.is_file() and path.suffix == ".ttf"


def test_a_missing_certificate_font_says_which_package_to_install(monkeypatch):
    import fontpkg

    def not_installed(name, *args, **kwargs):
        raise fontpkg.FamilyNotInstalled(name)

    monkeypatch.setattr(fontpkg, "path", not_installed)
    pdf.certificate_fonts.cache_clear()
    try:
        with pytest.raises(pdf.FontMissing, match="fontpkg-noto-sans"):
            pdf.certificate_fonts()
    finally:
        pdf.certificate_fonts.cache_clear()


def test_verification_shows_only_validity_name_course_and_date(world, finish, app):
    learner = world["learner"]
    finish(learner)
    certificate = services.issue(learner, get_course("example-course"))
    db.session.commit()
    client = app.test_client()
    page = client.get(f"/certificates/verify/{certificate.code.lower().replace('-', '')}")
    assert page.status_code == 200
    assert "This certificate is valid" in page.text
    assert learner.display_name in page.text and "Example course" in page.text
    assert certificate.issued_at.strftime("%d %B %Y") in page.text
    assert learner.email not in page.text and "Main track" not in page.text
    found = client.get(f"/certificates/verify?code={certificate.code}")
    assert found.status_code == 302 and found.headers["Location"].endswith(certificate.code)


@pytest.mark.parametrize("code", ["ABCDE-FGHJK-LMNPQ-RSTUV", "short", "' OR 1=1 --"])
def test_a_code_that_does_not_exist_is_not_found(world, app, code):
    response = app.test_client().get(f"/certificates/verify/{code}")
    assert response.status_code == 404
    assert "No certificate has this code." in response.text
    with pytest.raises(NotFound):
        services.find_by_code(code)


def test_guessing_codes_is_limited_per_address(app):
    client = app.test_client()
    statuses = [client.get(f"/certificates/verify/GUESS{n}").status_code for n in range(61)]
    assert statuses == [404] * 60 + [429]


def test_the_verify_form_asks_for_a_code(app):
    page = app.test_client().get("/certificates/verify?code=")
    assert page.status_code == 200 and "This field is required." in page.text


def test_a_facilitator_revokes_a_certificate(world, finish, client_for):
    finish(world["learner"])
    certificate = services.issue(world["learner"], get_course("example-course"))
    db.session.commit()
    staff = client_for(world["facilitator"])
    assert certificate.code in staff.get("/courses/example-course/certificates").text
    url = f"/courses/example-course/certificates/{certificate.id}/revoke"
    assert staff.post(url).status_code == 302
    assert staff.post(url).status_code == 302  # revoking twice records once
    db.session.refresh(certificate)
    assert certificate.revoked_at is not None
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["certificate.issue", "certificate.revoke"]
    verify = client_for(world["other_learner"]).get(f"/certificates/verify/{certificate.code}")
    assert "not valid: it was revoked" in verify.text
    assert world["learner"].display_name not in verify.text
    learner = client_for(world["learner"])
    assert "was revoked" in learner.get(MINE).text
    assert learner.get(MINE + ".pdf").status_code == 404


def test_a_facilitator_reinstates_a_certificate_revoked_in_error(world, finish, client_for):
    finish(world["learner"])
    certificate = services.issue(world["learner"], get_course("example-course"))
    services.revoke(world["facilitator"].id, certificate)
    db.session.commit()
    staff = client_for(world["facilitator"])
    url = f"/courses/example-course/certificates/{certificate.id}/reinstate"
    assert f'action="{url}"' in staff.get("/courses/example-course/certificates").text
    assert staff.post(url).status_code == 302
    assert staff.post(url).status_code == 302  # reinstating twice records once
    db.session.refresh(certificate)
    assert certificate.valid and certificate.revoked_by_id is None
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["certificate.issue", "certificate.revoke", "certificate.reinstate"]
    verify = client_for(world["other_learner"]).get(f"/certificates/verify/{certificate.code}")
    assert "revoked" not in verify.text and world["learner"].display_name in verify.text
    assert client_for(world["learner"]).get(MINE + ".pdf").status_code == 200


def test_a_facilitator_cannot_revoke_another_courses_certificate(world, finish, client_for):
    finish(world["other_learner"], "other-course")
    certificate = services.issue(world["other_learner"], get_course("other-course"))
    db.session.commit()
    staff = client_for(world["facilitator"])
    for path in (
        f"/courses/other-course/certificates/{certificate.id}/revoke",
        f"/courses/example-course/certificates/{certificate.id}/revoke",
    ):
        assert staff.post(path).status_code == 404
    services.revoke(world["admin"].id, certificate)
    db.session.commit()
    for path in (
        f"/courses/other-course/certificates/{certificate.id}/reinstate",
        f"/courses/example-course/certificates/{certificate.id}/reinstate",
    ):
        assert staff.post(path).status_code == 404
    db.session.refresh(certificate)
    assert certificate.revoked_at is not None
    services.reinstate(world["admin"].id, certificate)
    db.session.commit()
    assert staff.get("/courses/other-course/certificates").status_code == 404
    db.session.refresh(certificate)
    assert certificate.revoked_at is None


def test_the_verification_link_comes_from_site_url_whatever_the_host(world, finish, client_for):
    finish(world["learner"])
    client = client_for(world["learner"])
    client.set_cookie("session", client.get_cookie("session").value, domain="attacker.example")
    client.post(MINE)
    certificate = db.session.scalars(select(Certificate)).one()
    link = f"http://127.0.0.1:5000/certificates/verify/{certificate.code}"
    forged = {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"}
    page = client.get(MINE, headers=forged).text
    assert link in page and "attacker.example/" not in page
    document = client.get(MINE + ".pdf", headers=forged).data
    text = PdfReader(io.BytesIO(document)).pages[0].extract_text()
    assert link in text.replace("\n", "") and "attacker" not in text
