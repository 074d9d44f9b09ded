"""The email queue: deduplication, delivery over real SMTP, retries, and no double sends."""

from datetime import timedelta

from sqlalchemy import func, select, update

from course_engine.database import utcnow
from course_engine.extensions import db
from course_engine.notifications import services
from course_engine.notifications.models import EmailStatus, QueuedEmail


def _status(email_id):
    db.session.expire_all()
    return db.session.get(QueuedEmail, email_id)


def test_notify_queues_once_per_dedupe_key(make_user):
    user = make_user()
    first = services.notify(user.id, "Hello", "Body", dedupe_key="test:1")
    again = services.notify(user.id, "Hello again", "Body", dedupe_key="test:1")
    db.session.commit()
    assert first is not None and again is None
    assert db.session.scalar(select(func.count(QueuedEmail.id))) == 1


def test_send_pending_delivers_over_smtp_once(app, make_user, smtp_server):
    user = make_user(email="ana@example.org")
    email_id = services.notify(user.id, "Subject line", "Text body", dedupe_key="test:2")
    db.session.commit()
    assert services.send_pending() == (1, 0)
    (message,) = smtp_server.messages
    assert (message["To"], message["Subject"]) == ("ana@example.org", "Subject line")
    assert message.get_content().strip() == "Text body"
    assert _status(email_id).status == EmailStatus.SENT
    assert services.send_pending() == (0, 0)
    assert services.send_queued(email_id) is False  # a job that runs twice sends nothing
    assert len(smtp_server.messages) == 1


def test_a_failed_send_is_retried_then_given_up(app, make_user, smtp_server):
    user = make_user()
    email_id = services.notify(user.id, "S", "B", dedupe_key="test:3")
    db.session.commit()
    app.config["MAIL_PORT"] = 1  # nothing listens there
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        assert services.send_pending() == (0, 1)
        email = _status(email_id)
        assert email.attempts == attempt and "Error" in email.last_error
    assert email.status == EmailStatus.FAILED
    assert services.send_pending() == (0, 0)


def test_the_cli_reports_and_fails_on_unsent_email(app, make_user, smtp_server):
    user = make_user()
    services.notify(user.id, "S", "B", dedupe_key="test:4")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert (result.exit_code, result.output) == (0, "1 sent, 0 not sent\n")
    services.notify(user.id, "S", "B", dedupe_key="test:5")
    db.session.commit()
    app.config["MAIL_PORT"] = 1
    result = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert (result.exit_code, result.stdout) == (1, "0 sent, 1 not sent\n")
    assert "not sent: ConnectionRefusedError" in result.stderr


def test_a_rolled_back_notification_is_never_enqueued(app, make_user, monkeypatch):
    user = make_user()
    enqueued = []
    monkeypatch.setattr(services, "enqueue", enqueued.append)
    services.notify(user.id, "S", "B", dedupe_key="test:6")
    db.session.rollback()
    email_id = services.notify(user.id, "S", "B", dedupe_key="test:7")
    db.session.commit()
    assert enqueued == [[email_id]]


def _email_left_sending(user, minutes_ago: int) -> int:
    """Queue an email and make it look taken by a sender some minutes ago."""
    email_id = services.notify(user.id, "S", "B", dedupe_key=f"test:left:{minutes_ago}")
    db.session.execute(
        update(QueuedEmail)
        .where(QueuedEmail.id == email_id)
        .values(
            status=EmailStatus.SENDING,
            attempts=1,
            claimed_at=utcnow() - timedelta(minutes=minutes_ago),
        )
    )
    db.session.commit()
    return email_id


def test_an_email_left_sending_by_a_stopped_sender_is_reported_not_sent_again(
    app, make_user, smtp_server
):
    email_id = _email_left_sending(make_user(), minutes_ago=20)
    result = app.test_cli_runner().invoke(args=["notifications", "send"])
    assert (result.exit_code, result.output) == (1, "0 sent, 1 not sent\n")
    email = _status(email_id)
    assert email.status == EmailStatus.FAILED and "may have gone out" in email.last_error
    assert services.send_queued(email_id) is False
    assert services.send_pending() == (0, 0)
    assert smtp_server.messages == []


def test_an_email_a_sender_is_at_work_on_is_left_to_it(app, make_user, smtp_server):
    email_id = _email_left_sending(make_user(), minutes_ago=1)
    assert services.send_pending() == (0, 0)
    assert services.send_queued(email_id) is False
    assert _status(email_id).status == EmailStatus.SENDING
    assert smtp_server.messages == []
