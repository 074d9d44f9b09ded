"""The site's own addresses: absolute links built from SITE_URL, and safe `next` targets."""

from urllib.parse import urlsplit

from flask import current_app

# Browsers drop tabs and newlines from URLs ("/\t/evil.example" becomes
# "//evil.example"), and a CR or LF cannot go into a Location header at all.
_UNSAFE_IN_NEXT = frozenset(chr(code) for code in [*range(0x20), 0x7F]) | {"\\"}


def absolute_url(endpoint: str, **values) -> str:
    """Return the endpoint's full URL at the configured SITE_URL, never the request's host.

    Works outside a request too (the CLI, the email worker). Links that leave
    the app (emails, calendar feeds, certificates) are built here only, so a
    forged Host or X-Forwarded-Host header cannot put another site in them.
    """
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(
        site.netloc, script_name=site.path or "/", url_scheme=site.scheme
    )
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def site_host() -> str:
    """Return the host name of SITE_URL, without its port."""
    return urlsplit(current_app.config["SITE_URL"]).hostname


def safe_next(target: str | None, fallback: str) -> str:
    """Return target if it is a path on this site, else fallback."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    if any(character in _UNSAFE_IN_NEXT for character in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
