"""Security headers on every response, the proxy setting, and secret links' tokens."""

import re
import secrets

from flask import Flask, Response, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Bootstrap draws the select arrow and the checkbox tick as data: SVG
        # backgrounds; images cannot run script, so this leaves scripts as strict.
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Secret links (calendar feeds, unsubscribe links) carry a random token that
# names nothing by itself; its shape is checked before any lookup.
_LINK_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def new_link_token() -> str:
    """Return a random token for a secret link: 43 URL-safe characters."""
    return secrets.token_urlsafe(32)


def is_link_token(text: str | None) -> bool:
    """Tell whether text has the shape of a secret link's token."""
    return _LINK_TOKEN.fullmatch(text or "") is not None


SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# Production is served over HTTPS only (its cookies are Secure): browsers may remember that.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


def _add_headers(response: Response) -> Response:
    # A view that set its own (a feed's stricter Referrer-Policy) keeps it.
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["PRODUCTION"]:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def register(app: Flask) -> None:
    """Add security headers; trust X-Forwarded-* (also -Host) only behind a configured proxy."""
    app.after_request(_add_headers)
    proxies = app.config["PROXY_COUNT"]
    if proxies:
        # Flask documents wrapping wsgi_app so; its types see only a method there.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
