"""Security headers on every response, the proxy setting, and secret links' tokens."""

import re
import secrets

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
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


def _add_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def register(app: Flask) -> None:
    """Add security headers, and trust X-Forwarded-For only behind a configured proxy."""
    app.after_request(_add_headers)
    proxies = app.config["PROXY_COUNT"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
