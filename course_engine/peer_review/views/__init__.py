"""Peer review pages: one blueprint, reviewers' and authors' pages, and facilitators' pages."""

from flask import Blueprint

bp = Blueprint("peer_review", __name__, template_folder="../templates")
PREFIX = "/courses/<course_slug>/peer-review/<item_slug>"

from course_engine.peer_review.views import facilitating, reviewing  # noqa: E402, F401
