"""The engine's log: emails without a mail server, request ids, JSON lines."""

import json
import logging

from flask import current_app

from course_engine import create_app
from course_engine.mail import send_email


def test_an_email_without_a_mail_server_is_written_to_standard_error(app, capsys):
    with app.app_context():
        send_email("learner@example.org", "Welcome", "Set your password here.")
    err = capsys.readouterr().err
    assert "Email to learner@example.org: Welcome" in err
    assert "Set your password here." in err


def test_json_lines_carry_the_request_id_a_proxy_sent(tmp_path, capsys):
    app = create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": {"LOG_FORMAT": "json"}})
    with app.test_request_context(headers={"X-Request-ID": "abc-123"}):
        current_app.logger.info("graded %s", "submission 4")
    line = capsys.readouterr().err.strip().splitlines()[-1]
    entry = json.loads(line)
    assert entry["message"] == "graded submission 4"
    assert entry["request_id"] == "abc-123"
    assert entry["level"] == "INFO"


def test_an_unusable_request_id_is_replaced(tmp_path, capsys):
    app = create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": {"LOG_FORMAT": "json"}})
    with app.test_request_context(headers={"X-Request-ID": "x" * 500}):
        current_app.logger.info("one")
        current_app.logger.info("two")
    first, second = (json.loads(line) for line in capsys.readouterr().err.strip().splitlines())
    assert len(first["request_id"]) == 16
    assert first["request_id"] == second["request_id"]


def test_many_apps_attach_one_handler(tmp_path):
    for _ in range(3):
        create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": {}})
    assert len(logging.getLogger("course_engine").handlers) == 1
