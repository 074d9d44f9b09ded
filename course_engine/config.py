"""Configuration read from the environment, with safe embedded defaults."""

import contextlib
import importlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

SECRET_KEY_FILE = "secret_key"


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _instance_secret_key(instance_path: Path) -> str:
    """Return this install's secret key, generating it on first use."""
    key_file = instance_path / SECRET_KEY_FILE
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        draft = instance_path / f".{SECRET_KEY_FILE}.{secrets.token_hex(8)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        # Linking a complete file into place means two processes starting at
        # once agree on one key, and neither reads a half-written file.
        with contextlib.suppress(FileExistsError):
            os.link(draft, key_file)
        draft.unlink()
    return key_file.read_text().strip()


def _database_url(url: str) -> str:
    # SQLAlchemy wants an explicit driver name for psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgresql+psycopg://"):
        try:
            importlib.import_module("psycopg")
        except ImportError as error:
            raise ConfigError(
                "DATABASE_URL names PostgreSQL but psycopg is not installed; "
                "install the 'postgres' extra: pip install 'course-engine[postgres]'"
            ) from error
    return url


def _site_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.username is not None
        or parts.query
        or parts.fragment
    ):
        raise ConfigError(
            f"SITE_URL must be an address like https://courses.example.org, not {value!r}"
        )
    return value.strip().rstrip("/")


def _trusted_hosts(site_url: str, extra: str) -> list[str]:
    # Flask refuses (400) a request whose Host is not one of these.
    return [
        # _site_url made sure the address has a host.
        urlsplit(site_url).hostname or "",
        *(host.strip() for host in extra.split(",") if host.strip()),
    ]


def load_config(instance_path: Path, env: Mapping[str, str] | None = None) -> dict:
    """Build the settings from the environment, refusing unsafe production ones."""
    env = os.environ if env is None else env
    production = env.get("COURSE_ENGINE_ENV", "development") == "production"
    debug = _bool(env.get("FLASK_DEBUG"))
    secret_key = env.get("SECRET_KEY")
    if production and not secret_key:
        raise ConfigError("SECRET_KEY must be set when COURSE_ENGINE_ENV=production")
    if production and debug:
        raise ConfigError("debug must be off when COURSE_ENGINE_ENV=production")

    # Every link that leaves the app (emails, feeds, certificates) starts with this.
    site_url = _site_url(env.get("SITE_URL", "http://127.0.0.1:5000"))
    database_url = env.get("DATABASE_URL")
    if not database_url:
        # The embedded database lives in the instance folder, which only the
        # secret-key generator used to create: with SECRET_KEY set, nothing did.
        instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)
        database_url = f"sqlite:///{instance_path / 'course_engine.db'}"
    return {
        "PRODUCTION": production,
        "SECRET_KEY": secret_key or _instance_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(database_url),
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER") or str(instance_path / "uploads"),
        # s3://bucket/prefix?endpoint=http://127.0.0.1:8333 stores files in S3 instead.
        "STORAGE_URL": env.get("STORAGE_URL"),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", 256 * 1024 * 1024)),
        "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
        "MAX_FORM_PARTS": 1000,
        "PACK_MAX_BYTES": int(env.get("PACK_MAX_BYTES", 200 * 1024 * 1024)),
        "GIFT_MAX_QUESTIONS": int(env.get("GIFT_MAX_QUESTIONS", 2000)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        # Explicit, because Flask-Limiter otherwise inherits the last app's choice.
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Keeps apart the limits of several sites sharing one Redis.
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", ""),
        "RATELIMIT_HEADERS_ENABLED": True,
        "PROXY_COUNT": int(env.get("PROXY_COUNT", 0)),
        "LOGIN_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS": env.get(
            "LOGIN_ATTEMPTS_PER_ACCOUNT_AND_ADDRESS", "5 per 15 minutes"
        ),
        "LOGIN_ATTEMPTS_PER_ACCOUNT": env.get("LOGIN_ATTEMPTS_PER_ACCOUNT", "100 per 15 minutes"),
        "LOGIN_ATTEMPTS_PER_ADDRESS": env.get("LOGIN_ATTEMPTS_PER_ADDRESS", "20 per 15 minutes"),
        "PASSWORD_RESET_MAX_AGE": int(env.get("PASSWORD_RESET_MAX_AGE", 3600)),
        # New accounts' set-password links: people read a welcome email days later.
        "WELCOME_LINK_MAX_AGE": int(env.get("WELCOME_LINK_MAX_AGE", 7 * 24 * 3600)),
        "MAIL_SERVER": env.get("MAIL_SERVER"),
        "MAIL_PORT": int(env.get("MAIL_PORT", 25)),
        "MAIL_USERNAME": env.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "course-engine@localhost"),
        "REDIS_URL": env.get("REDIS_URL"),
        "NOTIFICATIONS_QUEUE": env.get("NOTIFICATIONS_QUEUE"),
        "JOBS_QUEUE": env.get("JOBS_QUEUE"),
        "LOG_FORMAT": env.get("LOG_FORMAT", "text"),
        "METRICS_TOKEN": env.get("METRICS_TOKEN"),
        "SITE_URL": site_url,
        "TRUSTED_HOSTS": _trusted_hosts(site_url, env.get("TRUSTED_HOSTS", ""))
        if production
        else None,
        "DISCUSSION_EDIT_MINUTES": int(env.get("DISCUSSION_EDIT_MINUTES", 30)),
        "BOOTSTRAP_SERVE_LOCAL": True,
        "WTF_CSRF_TIME_LIMIT": None,
    }
