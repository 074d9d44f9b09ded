"""Jobs run after the commit: on an RQ worker with Redis, in the web process without it."""

import logging

import pytest
from sqlalchemy import func, select

from course_engine import jobs
from course_engine.extensions import db
from course_engine.notifications.models import QueuedEmail
from course_engine.notifications.services import notify
from tests.support.local_redis import job_queues, needs_redis  # noqa: F401 - a fixture


def queue_greeting(user_id: int) -> None:
    """Queue one greeting email to the user: the job the tests run."""
    notify(user_id, "Hello", "Welcome aboard.", dedupe_key=f"test:greeting:{user_id}")


def fail_always(user_id: int) -> None:
    """Fail, as a job whose work cannot be done yet."""
    raise RuntimeError(f"not now, {user_id}")


def _emails() -> int:
    return db.session.scalar(select(func.count(QueuedEmail.id)))


def test_without_redis_the_job_runs_right_after_the_commit(app, make_user):
    user = make_user()
    jobs.enqueue_after_commit(queue_greeting, user.id)
    db.session.flush()
    assert _emails() == 0
    db.session.commit()
    assert _emails() == 1


def test_a_job_of_a_transaction_rolled_back_never_runs(app, make_user):
    user = make_user()
    jobs.enqueue_after_commit(queue_greeting, user.id)
    db.session.rollback()
    db.session.commit()
    assert _emails() == 0


def test_a_job_that_fails_in_process_is_logged_and_the_commit_stands(app, make_user, caplog):
    user = make_user()
    jobs.enqueue_after_commit(fail_always, user.id)
    jobs.enqueue_after_commit(queue_greeting, user.id)
    db.session.commit()
    assert "tests.test_jobs.fail_always" in caplog.text
    assert _emails() == 1


def test_with_redis_unreachable_the_job_runs_in_process_with_a_warning(app, make_user, caplog):
    # Port 9 (discard) on loopback has no Redis: the connection is refused at once.
    app.config["REDIS_URL"] = "redis://127.0.0.1:9/0"
    user = make_user()
    jobs.enqueue_after_commit(queue_greeting, user.id)
    with caplog.at_level(logging.WARNING, logger="course_engine.jobs"):
        db.session.commit()
    assert "running it in-process" in caplog.text
    assert _emails() == 1


def _inner_function():
    def inner(user_id: int) -> None:
        """A function the worker could not import."""

    return inner


@pytest.mark.parametrize("job", [_inner_function(), lambda user_id: None])
def test_only_module_level_functions_can_be_jobs(app, job):
    with pytest.raises(ValueError, match="not a module-level function"):
        jobs.enqueue_after_commit(job, 1)


@needs_redis
def test_with_redis_the_job_waits_for_the_worker(app, make_user, job_queues):  # noqa: F811
    from rq import SimpleWorker

    user = make_user()
    jobs.enqueue_after_commit(queue_greeting, user.id)
    db.session.commit()
    assert _emails() == 0
    queue = jobs.rq_queue()
    assert queue.name == job_queues["JOBS_QUEUE"]
    (job,) = queue.jobs
    assert job.retries_left == 3
    assert job.description == f"tests.test_jobs.queue_greeting({user.id},)"
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert _emails() == 1


@needs_redis
def test_a_failed_job_is_scheduled_again(app, make_user, job_queues):  # noqa: F811
    from rq import SimpleWorker

    user = make_user()
    jobs.enqueue_after_commit(fail_always, user.id)
    db.session.commit()
    queue = jobs.rq_queue()
    (job,) = queue.jobs
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    job.refresh()
    assert job.retries_left == 2
    assert job.id in queue.scheduled_job_registry.get_job_ids()


@needs_redis
@pytest.mark.parametrize("command", [["worker"], ["notifications", "worker"]])
def test_the_worker_command_serves_jobs_and_email(app, make_user, job_queues, monkeypatch, command):  # noqa: F811
    import rq

    from course_engine.notifications.services import rq_queue as email_queue

    # A worker that forks would share the test's database connections with its children.
    monkeypatch.setattr(rq, "Worker", rq.SimpleWorker)
    user = make_user()
    jobs.enqueue_after_commit(queue_greeting, user.id)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=[*command, "--burst"])
    assert result.exit_code == 0, result.output
    assert jobs.rq_queue().count == 0
    assert _emails() == 1
    # The email the job queued was handed to the email queue, and the same worker sent it.
    assert email_queue().finished_job_registry.count == 1


def test_the_worker_command_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output
