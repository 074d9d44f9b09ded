"""The discussions blueprint: forums, threads, moderation, groups and email settings."""

from flask import Blueprint

bp = Blueprint("discussions", __name__, template_folder="../templates")

from course_engine.discussions.views import (  # noqa: E402, F401 - routes attach to bp
    account,
    forums,
    groups,
    moderation,
    threads,
)
