"""The one way the app sends a file: its download name, its caching and its inert headers.

Every download (submitted and feedback files, discussion attachments, pack
files, certificates, CSV and zip exports) goes through `file_response`, so
each sends exactly one Content-Disposition and one Cache-Control.
"""

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from flask import Response

# Kept out of the quoted ASCII fallback: quotes, backslashes and control characters.
_UNSAFE_FALLBACK = re.compile(r'[^\x20-\x7e]|["\\]')
FALLBACK_STEM = "download"
# Images that pages embed; every other file is saved, never shown.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def ascii_fallback(filename: str) -> str:
    """Return an ASCII stand-in for a file name, for clients that ignore `filename*`."""
    decomposed = unicodedata.normalize("NFKD", filename)
    without_marks = "".join(char for char in decomposed if not unicodedata.combining(char))
    fallback = _UNSAFE_FALLBACK.sub("_", without_marks)
    stem, dot, extension = fallback.rpartition(".")
    if not dot:
        stem, extension = fallback, ""
    if not re.search(r"[A-Za-z0-9]", stem):
        stem = FALLBACK_STEM
    return f"{stem}.{extension}" if dot else stem


def is_embeddable_image(content_type: str) -> bool:
    """Tell whether a file of this type may be shown in a page rather than saved."""
    return content_type.split(";", 1)[0].strip().lower() in INLINE_TYPES


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """Return a Latin-1-safe Content-Disposition: an ASCII name and the UTF-8 one (RFC 6266)."""
    disposition = "inline" if inline else "attachment"
    encoded = quote(filename, safe="")
    return f"{disposition}; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{encoded}"


def cache_control(max_age: int) -> str:
    """Return the one Cache-Control of a download: private always, stored only if max_age > 0."""
    return f"private, max-age={max_age}" if max_age > 0 else "private, no-store"


def file_response(
    body: bytes | str | Iterable[bytes] | Iterable[str],
    filename: str,
    content_type: str,
    *,
    inline: bool = False,
    max_age: int = 0,
    direct_passthrough: bool = False,
) -> Response:
    """Return a download that browsers save (or show, if inline) but never sniff or run."""
    response = Response(body, content_type=content_type, direct_passthrough=direct_passthrough)
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    response.headers["Cache-Control"] = cache_control(max_age)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
