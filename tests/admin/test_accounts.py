"""Admin account pages and rules: list, create, import, edit, deactivate."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from course_engine.admin import services
from course_engine.audit.models import AuditEntry
from course_engine.auth.models import PasswordReset, User
from course_engine.courses.models import Enrolment
from course_engine.database import utcnow
from course_engine.errors import DomainError
from course_engine.extensions import db
from tests.support.queries import count_queries


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_users_page_lists_searches_and_pages(make_user, client_for):
    admin = make_user(name="Ada Admin", is_admin=True)
    for number in range(60):
        make_user(email=f"cohort{number:02}@example.org", name=f"Cohort {number:02}")
    make_user(email="zoe@example.gov", name="Zoë Ñúñez")
    client = client_for(admin)
    first = client.get("/admin/users/")
    assert first.status_code == 200
    assert "62 accounts" in first.text and "Page 1 of 2" in first.text
    assert "Next" in first.text
    found = client.get("/admin/users/?q=ZOE@")
    assert "1 account matching" in found.text and "Zoë Ñúñez" in found.text
    assert "Cohort 01" not in found.text


@pytest.mark.parametrize("extra_users", [0, 120])
def test_users_page_sends_the_same_queries_whatever_the_number_of_users(
    make_user, client_for, extra_users
):
    admin = make_user(is_admin=True)
    for _ in range(extra_users):
        make_user()
    client = client_for(admin)
    with count_queries() as statements:
        assert client.get("/admin/users/?page=2").status_code == 200
    # Sign-in lookup, count, page of users.
    assert len(statements) == 3, statements


def test_admin_creates_a_user_who_gets_a_set_password_link(make_user, client_for, outbox, app):
    admin = make_user(is_admin=True)
    response = client_for(admin).post(
        "/admin/users/new",
        data={
            "email": "New.Person@Example.gov",
            "display_name": "Ƙwame Mensah",
            "country": "Ghana",
            "organisation": "Ministry",
            "job_title": "Director",
            "language": "fr",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.person@example.gov"))
    assert (user.display_name, user.country, user.language, user.is_admin) == (
        "Ƙwame Mensah",
        "Ghana",
        "fr",
        False,
    )
    assert user.password_hash is None
    [(to, _subject, body)] = outbox
    assert to == "new.person@example.gov"
    assert "http://127.0.0.1:5000/auth/reset/" in body
    token = body.split("/auth/reset/")[1].split()[0]
    assert app.test_client().get(f"/auth/reset/{token}").status_code == 200
    assert "within 7 days" in body
    # People read welcome emails days later: the link outlasts a forgotten-password one.
    assert _count(PasswordReset) == 1
    reset = db.session.scalar(select(PasswordReset))
    assert reset.expires_at - utcnow() > timedelta(days=6, hours=23)
    assert _actions() == ["user.create"]


def test_creating_a_user_with_a_taken_email_changes_nothing(make_user, client_for, outbox):
    admin = make_user(is_admin=True)
    make_user(email="taken@example.org")
    with pytest.raises(DomainError, match="already exists"):
        services.create_account(admin.id, "TAKEN@example.org", "Someone")
    db.session.rollback()
    response = client_for(admin).post(
        "/admin/users/new",
        data={"email": "taken@example.org", "display_name": "X", "language": "en"},
    )
    assert response.status_code == 400
    assert "An account with the email taken@example.org already exists." in response.text
    assert _count(User) == 2 and outbox == [] and _actions() == []


def test_new_user_form_reports_each_bad_field(make_user, client_for):
    admin = make_user(is_admin=True)
    response = client_for(admin).post(
        "/admin/users/new", data={"email": "not-an-email", "language": "en"}
    )
    assert response.status_code == 200
    assert "Invalid email address." in response.text
    assert "This field is required." in response.text
    assert _count(User) == 1


CSV_OK = (
    "email,name,country,organisation,job_title,course,role\n"
    "ana@example.gov,Ana Pérez,Belize,Ministry,Director,example-course,learner\n"
    "ben@example.gov,Ben Ng,Jamaica,,,,\n"
)


def _upload(client, text: str, **extra):
    return client.post(
        "/admin/users/import",
        data={"csv_file": (io.BytesIO(text.encode()), "users.csv"), **extra},
        content_type="multipart/form-data",
    )


def test_csv_upload_creates_and_enrols_and_emails_links(world, client_for, outbox):
    response = _upload(client_for(world["admin"]), CSV_OK, send_links="y")
    assert response.status_code == 302
    ana = db.session.scalar(select(User).where(User.email == "ana@example.gov"))
    assert ana.country == "Belize"
    assert db.session.scalar(select(Enrolment.role).where(Enrolment.user_id == ana.id)) == "learner"
    assert sorted(to for to, _, _ in outbox) == ["ana@example.gov", "ben@example.gov"]
    assert _actions()[-1] == "user.import"


BAD_CSVS = [
    (
        "email,name,course\nok@example.gov,Ok,example-course\nnot-an-email,Bad,\n",
        ["line 3: invalid email &#39;not-an-email&#39;"],
    ),
    (
        "email,name\ndup@example.gov,One\nDUP@example.gov,Two\n",
        ["line 3: duplicate email dup@example.gov (first on line 2)"],
    ),
    (
        "email,name,course\nok@example.gov,Ok,no-such-course\n",
        ["line 2: unknown course &#39;no-such-course&#39;"],
    ),
    ("email,name\nrow@example.gov,Too,many,cells\n", ["line 2: expected 2 columns"]),
    ("name\nNobody\n", ["line 1: missing column(s) email"]),
    ("email,name\nbig@example.gov," + "x" * 140_000 + "\n", ["a field is longer than 128 KB"]),
    ("email,name\nnul@example.gov,Nu\x00l\n", ["the file contains a NUL character"]),
]


@pytest.mark.parametrize(("text", "messages"), BAD_CSVS)
def test_bad_csv_upload_shows_lines_and_imports_nothing(world, client_for, outbox, text, messages):
    users_before, enrolments_before = _count(User), _count(Enrolment)
    response = _upload(client_for(world["admin"]), text)
    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    for message in messages:
        assert message in response.text
    assert (_count(User), _count(Enrolment)) == (users_before, enrolments_before)
    assert outbox == [] and _actions() == []


def test_csv_upload_that_is_not_utf8_imports_nothing(world, client_for):
    response = client_for(world["admin"]).post(
        "/admin/users/import",
        data={"csv_file": (io.BytesIO("email,name\né@x.org,É\n".encode("latin-1")), "u.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.text
    assert _count(User) == 5


def test_admin_edits_a_profile_and_granting_admin_ends_sessions(make_user, client_for):
    admin = make_user(is_admin=True)
    user = make_user(name="Old Name")
    token = user.session_token
    response = client_for(admin).post(
        f"/admin/users/{user.id}",
        data={"display_name": "New Name", "country": "Haiti", "language": "fr", "is_admin": "y"},
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.display_name, user.country, user.is_admin) == ("New Name", "Haiti", True)
    assert user.session_token != token
    [entry] = db.session.scalars(select(AuditEntry)).all()
    assert entry.action == "user.update" and "is_admin" in entry.details["fields"]


def test_an_admin_cannot_remove_their_own_admin_rights(make_user, client_for):
    admin = make_user(is_admin=True)
    response = client_for(admin).post(
        f"/admin/users/{admin.id}", data={"display_name": "Me", "language": "en"}
    )
    assert response.status_code == 400
    assert "You cannot remove your own admin rights." in response.text
    db.session.refresh(admin)
    assert admin.is_admin


def test_deactivation_ends_sessions_and_reactivation_allows_sign_in(make_user, client_for, client):
    admin = make_user(is_admin=True)
    user = make_user()
    their_client = client_for(user)
    assert their_client.get("/").status_code == 200
    admin_client = client_for(admin)
    assert admin_client.post(f"/admin/users/{user.id}/deactivate").status_code == 302
    assert their_client.get("/").status_code == 302  # the old session no longer works
    denied = client.post(
        "/auth/login", data={"email": user.email, "password": "correct horse battery"}
    )
    assert denied.status_code == 200
    assert admin_client.post(f"/admin/users/{user.id}/reactivate").status_code == 302
    allowed = client.post(
        "/auth/login", data={"email": user.email, "password": "correct horse battery"}
    )
    assert allowed.status_code == 302
    assert _actions() == ["user.deactivate", "user.reactivate"]


def test_an_admin_cannot_deactivate_themself(make_user, client_for):
    admin = make_user(is_admin=True)
    response = client_for(admin).post(f"/admin/users/{admin.id}/deactivate")
    assert response.status_code == 400
    assert "You cannot deactivate your own account." in response.text
    db.session.refresh(admin)
    assert admin.active and _actions() == []


def test_unknown_user_id_is_404(make_user, client_for):
    admin = make_user(is_admin=True)
    assert client_for(admin).get("/admin/users/999999").status_code == 404
