"""The one download helper: RFC 6266 names any server can send, and one Cache-Control."""

from urllib.parse import unquote

import pytest

from course_engine.downloads import ascii_fallback, content_disposition
from tests.conftest import signed_in_client
from tests.deliverables import factories
from tests.support.routes import ALLOW, ROLES
from tests.test_route_matrix import ALL_CASES

NAMES = ["Report \u2013 final.txt", "\u041e\u0442\u0447\u0451\u0442.txt"]
# Every route that sends a file; each must answer through the download helper.
DOWNLOAD_ENDPOINTS = [
    "certificates.download",
    "courses.asset",
    "deliverables.download",
    "deliverables.feedback_file",
    "discussions.attachment",
    "gradebook.export",
    "packs.export",
    "peer_review.export",
    "peer_review.review_file",
    "quizzes.export",
    "reports.export",
    "surveys.export",
]
CACHE_CONTROLS = {"private, no-store", "private, max-age=3600"}


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


def _names(header: str) -> tuple[str, str]:
    """Return (fallback name, UTF-8 name) of a Content-Disposition header."""
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    encoded = header.split("filename*=UTF-8''", 1)[1].split(";", 1)[0]
    return fallback, unquote(encoded, errors="strict")


@pytest.mark.parametrize("name", [*NAMES, "plain.pdf", 'quote"back\\slash.txt', "\u65e5\u672c"])
def test_content_disposition_is_latin1_with_an_ascii_fallback(name):
    header = content_disposition(name)
    header.encode("latin-1")
    fallback, original = _names(header)
    assert original == name
    assert fallback.isascii() and '"' not in fallback and "\\" not in fallback
    assert fallback == ascii_fallback(name)


def test_ascii_fallback_keeps_what_it_can_and_the_extension():
    assert ascii_fallback("R\u00e9sum\u00e9 \u2013 final.pdf") == "Resume _ final.pdf"
    assert ascii_fallback("\u041e\u0442\u0447\u0451\u0442.txt") == "download.txt"
    assert ascii_fallback("\u65e5\u672c") == "download"


@pytest.mark.parametrize("name", NAMES)
def test_a_file_with_a_non_latin1_name_downloads_under_its_name(world, client_for, name):
    version = factories.submit(world["learner"], files=[(name, b"hello")])
    response = client_for(world["learner"]).get(
        f"/courses/example-course/deliverables/service-sketch/files/{version.files[0].id}"
    )
    assert response.status_code == 200 and response.data == b"hello"
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")
    assert header.startswith("attachment;")
    assert _names(header)[1] == name


@pytest.mark.parametrize("endpoint", DOWNLOAD_ENDPOINTS)
def test_every_download_sends_one_cache_control_and_a_safe_name(app, world, endpoint):
    case = next(case for case in ALL_CASES[endpoint] if case.method == "GET")
    path = case.path.format(**(case.params(world) if case.params else {}))
    role = next(role for role in ROLES if role != "anonymous" and case.access[role] == ALLOW)
    response = signed_in_client(app, world[role]).get(path)
    assert response.status_code == 200, f"{role} {path}"
    assert response.headers.getlist("Cache-Control") in ([value] for value in CACHE_CONTROLS)
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")
    assert _names(header)[1]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()
