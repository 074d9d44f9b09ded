"""An optional part asked for but not installed names the extra that installs it."""

import sys

import pytest

from course_engine.config import ConfigError, load_config
from course_engine.extras import ExtraMissing
from course_engine.notifications.services import rq_queue


def test_a_redis_url_without_the_redis_extra_says_which_extra_to_install(app, monkeypatch):
    # A None entry in sys.modules makes the import fail as if the package were absent.
    monkeypatch.setitem(sys.modules, "redis", None)
    app.config["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    with pytest.raises(ExtraMissing, match=r"course-engine\[redis\]"):
        rq_queue()


def test_a_postgresql_url_without_psycopg_says_which_extra_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(ConfigError, match=r"course-engine\[postgres\]"):
        load_config(tmp_path, {"DATABASE_URL": "postgresql://u@127.0.0.1/db"})
