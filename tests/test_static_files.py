"""Static files: hashed names, a year of caching, precompressed; pages compressed, downloads not."""

import gzip
import re

import brotli
import pytest
from flask import Response, stream_with_context

from course_engine.downloads import file_response
from course_engine.static_files import CACHE_CONTROL, static_url
from tests.conftest import signed_in_client
from tests.support.routes import ALLOW, ROLES
from tests.test_downloads import DOWNLOAD_ENDPOINTS
from tests.test_route_matrix import ALL_CASES

BOOTSTRAP_CSS = "bootstrap/css/bootstrap.min.css"
BIG_PAGE = "<p>" + "A page long enough to be worth compressing. " * 100 + "</p>"
SMALL_PAGE = "<p>Short.</p>"


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


@pytest.fixture
def pages(app):
    """Add routes answering a big page, a small one, a streamed one and an HTML download."""
    app.add_url_rule("/test/big", "big", lambda: BIG_PAGE)
    app.add_url_rule("/test/small", "small", lambda: SMALL_PAGE)
    app.add_url_rule(
        "/test/streamed",
        "streamed",
        lambda: Response(stream_with_context(iter([BIG_PAGE])), mimetype="text/html"),
    )
    app.add_url_rule(
        "/test/download", "download", lambda: file_response(BIG_PAGE, "page.html", "text/html")
    )


def _url(app, name: str) -> str:
    with app.test_request_context():
        return static_url(name)


def test_every_page_links_its_stylesheets_by_hashed_url(app, client):
    html = client.get("/auth/login").text
    for name in (BOOTSTRAP_CSS, "css/site.css"):
        url = _url(app, name)
        assert f'href="{url}"' in html
        assert re.fullmatch(r"/assets/.+\.[0-9a-f]{12}\.css", url)
    assert "/bootstrap/static/" not in html


def test_the_hashed_url_changes_with_the_content(app, client, tmp_path):
    (tmp_path / "css").mkdir()
    stylesheet = tmp_path / "css" / "site.css"
    stylesheet.write_text("body { color: black; }")
    app.static_folder = str(tmp_path)
    old_url = _url(app, "css/site.css")
    assert client.get(old_url).data == b"body { color: black; }"

    stylesheet.write_text("body { color: darkblue; }")
    new_url = _url(app, "css/site.css")

    assert new_url != old_url
    assert client.get(new_url).data == b"body { color: darkblue; }"
    assert client.get(old_url).status_code == 404


@pytest.mark.parametrize(
    "path", ["/assets/css/site.css", "/assets/css/site.0123456789ab.css", "/assets/../wsgi.py"]
)
def test_a_name_without_the_right_hash_is_no_file(client, path):
    assert client.get(path).status_code == 404


def test_a_static_file_is_only_read(app, client):
    response = client.post(_url(app, "css/site.css"))
    assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD"


def test_a_missing_static_file_is_an_error_when_the_page_is_made(app):
    with pytest.raises(LookupError):
        _url(app, "css/missing.css")


@pytest.mark.parametrize(
    ("accept_encoding", "encoding", "decode"),
    [
        ("gzip, deflate, br", "br", brotli.decompress),
        ("gzip", "gzip", gzip.decompress),
        ("", None, bytes),
        ("br;q=0, gzip;q=0", None, bytes),
    ],
)
def test_static_files_are_cached_for_a_year_and_sent_as_accepted(
    app, client, accept_encoding, encoding, decode
):
    url = _url(app, BOOTSTRAP_CSS)
    response = client.get(url, headers={"Accept-Encoding": accept_encoding})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == CACHE_CONTROL
    assert response.headers["Vary"] == "Accept-Encoding"
    assert "Set-Cookie" not in response.headers
    assert response.headers.get("Content-Encoding") == encoding
    assert response.mimetype == "text/css"
    css = decode(response.data)
    assert css.startswith(b"@charset") and b".btn{" in css


def test_a_small_static_file_is_sent_as_it_is(app, client):
    response = client.get(_url(app, "css/site.css"), headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in response.headers


def test_a_browser_holding_a_static_file_gets_304(app, client):
    url = _url(app, BOOTSTRAP_CSS)
    first = client.get(url, headers={"Accept-Encoding": "br"})
    again = client.get(
        url, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    other_encoding = client.get(
        url, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}
    )
    assert other_encoding.status_code == 200


@pytest.mark.parametrize(
    ("accept_encoding", "encoding", "decode"),
    [("gzip, deflate, br", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress)],
)
def test_a_page_above_the_threshold_is_compressed(client, pages, accept_encoding, encoding, decode):
    response = client.get("/test/big", headers={"Accept-Encoding": accept_encoding})
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert decode(response.data).decode() == BIG_PAGE


@pytest.mark.parametrize(
    ("path", "accept_encoding"),
    [
        ("/test/small", "br, gzip"),
        ("/test/big", ""),
        ("/test/streamed", "br, gzip"),
        ("/test/download", "br, gzip"),
    ],
)
def test_pages_below_the_threshold_streams_and_downloads_go_as_they_are(
    client, pages, path, accept_encoding
):
    response = client.get(path, headers={"Accept-Encoding": accept_encoding})
    assert "Content-Encoding" not in response.headers
    assert response.text in (BIG_PAGE, SMALL_PAGE)


@pytest.mark.parametrize("endpoint", DOWNLOAD_ENDPOINTS)
def test_no_download_is_compressed(app, world, endpoint):
    case = next(case for case in ALL_CASES[endpoint] if case.method == "GET")
    path = case.path.format(**(case.params(world) if case.params else {}))
    role = next(role for role in ROLES if role != "anonymous" and case.access[role] == ALLOW)
    response = signed_in_client(app, world[role]).get(path, headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200, f"{role} {path}"
    assert "Content-Encoding" not in response.headers
    response.close()
