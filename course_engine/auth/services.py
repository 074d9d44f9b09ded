"""Account rules: creating users, passwords, sign-in and password resets."""

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import bindparam, select, update

from course_engine.auth.models import PasswordReset, User, new_session_token
from course_engine.database import utcnow
from course_engine.errors import DomainError
from course_engine.extensions import db

MIN_PASSWORD_LENGTH = 10


class AccountError(DomainError):
    """An account could not be created or changed."""


def password_hasher() -> PasswordHasher:
    # Tests use the cheapest parameters; everything else the library's default.
    if current_app.config.get("PASSWORD_HASH_CHEAP"):
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


def normalise_email(email: str) -> str:
    """Return the form in which an email is stored and compared."""
    return email.strip().lower()


# Every signed-in request runs this statement: it is built once.
_BY_SESSION_TOKEN = select(User).where(User.session_token == bindparam("token"))


def get_by_session_token(token: str) -> User | None:
    """Return the user whose current sign-in generation this token names."""
    return db.session.scalar(_BY_SESSION_TOKEN, {"token": token})


def get_by_email(email: str) -> User | None:
    """Return the user with this email, in any letter case."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def set_password(user: User, password: str) -> None:
    """Hash and store a new password, ending the user's other sessions and reset links."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    user.password_hash = password_hasher().hash(password)
    user.session_token = new_session_token()
    if user.id is not None:
        spend_password_resets(user.id)


def spend_password_resets(user_id: int) -> None:
    """Mark every outstanding reset link of the user used: a new password ends them all."""
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )


def create_user(email: str, display_name: str, password: str | None = None, **profile) -> User:
    """Create an account; without a password it can only be entered through a reset."""
    email = normalise_email(email)
    if get_by_email(email) is not None:
        raise AccountError(f"An account with the email {email} already exists.")
    user = User(email=email, display_name=display_name.strip(), **profile)
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None, in constant-ish time."""
    user = get_by_email(email)
    hasher = password_hasher()
    if user is None or not user.password_hash:
        # Hash anyway so a missing account takes as long as a wrong password.
        hasher.hash(password)
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return user


def check_password(user: User, password: str) -> bool:
    """Tell whether the password is the user's current one."""
    if not user.password_hash:
        return False
    try:
        return password_hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def end_sessions(user: User) -> None:
    """Invalidate every session and remember-me cookie of the user."""
    user.session_token = new_session_token()


def token_hash(token: str) -> str:
    """Return the hash under which a reset token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_password_reset(email: str, *, welcome: bool = False) -> tuple[User, str] | None:
    """Create a single-use reset token for an active account, if there is one.

    A welcome token, sent to a new account, lasts longer than a forgotten-password one.
    """
    user = get_by_email(email)
    if user is None or not user.active:
        return None
    token = secrets.token_urlsafe(32)
    setting = "WELCOME_LINK_MAX_AGE" if welcome else "PASSWORD_RESET_MAX_AGE"
    max_age = timedelta(seconds=current_app.config[setting])
    db.session.add(
        PasswordReset(user_id=user.id, token_hash=token_hash(token), expires_at=utcnow() + max_age)
    )
    db.session.flush()
    return user, token


def reset_is_usable(token: str) -> bool:
    """Tell whether a reset token exists, is unused and has not expired."""
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
    )
    return reset is not None and reset.used_at is None and reset.expires_at > utcnow()


def finish_password_reset(token: str, password: str) -> User:
    """Spend a reset token and set the new password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    now = utcnow()
    # A conditional update spends the token exactly once, even when two requests race.
    spent = db.session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.token_hash == token_hash(token),
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
        )
        .values(used_at=now)
        .returning(PasswordReset.user_id)
    ).scalar_one_or_none()
    if spent is None:
        raise AccountError("This reset link has expired or was already used. Ask for a new one.")
    user = db.session.get_one(User, spent)
    set_password(user, password)
    return user
