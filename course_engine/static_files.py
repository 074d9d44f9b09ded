"""Static files under content-hashed names: cached for a year and sent precompressed.

`static_url('css/site.css')` in a template names a file of our static folder;
`static_url('bootstrap/css/bootstrap.min.css')` names one of the installed
bootstrap-flask package, read from there rather than copied into the project.
The URL carries a hash of the file's content, so a changed file gets a new URL
and browsers may keep every URL for a year without asking again.
"""

import gzip
import hashlib
import mimetypes
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import brotli
import flask_bootstrap
from flask import Flask, current_app, request
from werkzeug.datastructures import Accept
from werkzeug.security import safe_join
from werkzeug.wrappers import Request, Response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

BOOTSTRAP_PREFIX = "bootstrap/"
BOOTSTRAP_FOLDER = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5"
URL_PREFIX = "/assets/"
CACHE_CONTROL = "public, max-age=31536000, immutable"
DIGEST_LENGTH = 12
# Below this size, compressing saves too little to be worth a second copy.
COMPRESS_MIN_SIZE = 1024


@dataclass(frozen=True)
class StaticFile:
    """One file's content under its hashed name, with its compressed forms made on first use."""

    name: str
    content: bytes

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.content).hexdigest()[:DIGEST_LENGTH]

    @property
    def hashed_name(self) -> str:
        path = PurePosixPath(self.name)
        return str(path.with_name(f"{path.stem}.{self.digest}{path.suffix}"))

    @property
    def mimetype(self) -> str:
        return mimetypes.guess_type(self.name)[0] or "application/octet-stream"

    @cached_property
    def gzip(self) -> bytes:
        # mtime=0 gives every host the same bytes, so their ETags agree.
        return gzip.compress(self.content, compresslevel=9, mtime=0)

    @cached_property
    def br(self) -> bytes:
        return brotli.compress(self.content, quality=11)

    def body(self, encoding: str) -> bytes:
        """Return the content in an encoding `encoding_for` chose."""
        return self.content if encoding == "identity" else getattr(self, encoding)


def encoding_for(static_file: StaticFile, accept_encoding: Accept) -> str:
    """Return the encoding to send a file in: brotli, else gzip, where accepted and worth it."""
    if len(static_file.content) >= COMPRESS_MIN_SIZE:
        for name in ("br", "gzip"):
            if accept_encoding[name]:
                return name
    return "identity"


def source_path(static_folder: str, name: str) -> Path | None:
    """Return the file a static name stands for, or None if there is none."""
    if name.startswith(BOOTSTRAP_PREFIX):
        static_folder, name = str(BOOTSTRAP_FOLDER), name.removeprefix(BOOTSTRAP_PREFIX)
    joined = safe_join(static_folder, name)
    return Path(joined) if joined and os.path.isfile(joined) else None


def _unhashed(hashed_name: str) -> tuple[str, str]:
    """Split `css/site.<digest>.css` into `css/site.css` and the digest."""
    path = PurePosixPath(hashed_name)
    stem, dot, digest = path.stem.rpartition(".")
    if not dot:
        return hashed_name, ""
    return str(path.with_name(f"{stem}{path.suffix}")), digest


class StaticFiles:
    """Serve the app's static files by hashed name, in front of the app.

    They are answered before Flask's request handling, so they carry no
    session (nor its `Vary: Cookie`, which would keep caches from sharing
    them) and cost no hooks. A file is read on first use and again when it
    changes on disk.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wsgi_app = app.wsgi_app
        self._files: dict[str, tuple[os.stat_result, StaticFile]] = {}

    def get(self, name: str) -> StaticFile | None:
        """Return a static file by its name, or None if there is none."""
        path = source_path(str(self.app.static_folder), name)
        if path is None:
            return None
        stat = path.stat()
        known = self._files.get(name)
        if known and (known[0].st_mtime_ns, known[0].st_size) == (stat.st_mtime_ns, stat.st_size):
            return known[1]
        static_file = StaticFile(name, path.read_bytes())
        self._files[name] = (stat, static_file)
        return static_file

    def respond(self, incoming: Request) -> Response:
        """Send a static file by its hashed name, compressed as the client accepts."""
        if incoming.method not in ("GET", "HEAD"):
            return Response(status=405, headers={"Allow": "GET, HEAD"})
        name, digest = _unhashed(incoming.path.removeprefix(URL_PREFIX))
        static_file = self.get(name)
        # An old hash names content that is gone: never send other content under it.
        if static_file is None or static_file.digest != digest:
            return Response("Not found", status=404, mimetype="text/plain")
        encoding = encoding_for(static_file, incoming.accept_encodings)
        response = Response(static_file.body(encoding), mimetype=static_file.mimetype)
        if encoding != "identity":
            response.headers["Content-Encoding"] = encoding
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.vary.add("Accept-Encoding")
        response.set_etag(f"{static_file.digest}-{encoding}")
        return response.make_conditional(incoming)

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        if not environ.get("PATH_INFO", "").startswith(URL_PREFIX):
            return self.wsgi_app(environ, start_response)
        return self.respond(Request(environ))(environ, start_response)


def static_url(name: str) -> str:
    """Return the hashed URL of a static file; templates call it for every one."""
    static_file = current_app.extensions["static_files"].get(name)
    # The hash goes before the suffix, so a name needs one.
    if static_file is None or not PurePosixPath(name).suffix:
        raise LookupError(f"no static file {name!r} with a suffix")
    return f"{request.script_root}{URL_PREFIX}{static_file.hashed_name}"


def register(app: Flask) -> None:
    """Serve hashed static files and give templates `static_url`."""
    static_files = StaticFiles(app)
    app.extensions["static_files"] = static_files
    # Flask documents wrapping wsgi_app so; its types see only a method there.
    app.wsgi_app = static_files  # type: ignore[method-assign]
    app.add_template_global(static_url)
