"""Certificate rules: completion, issuing once, verifying and revoking."""

import re
import secrets
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError

from course_engine.audit.services import record
from course_engine.auth.models import User
from course_engine.certificates.files import store_pdf
from course_engine.certificates.models import Certificate
from course_engine.courses.models import Course, Item, ItemProgress, Module, ProgressStatus, Track
from course_engine.database import rows_changed, utcnow
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from course_engine.jobs import enqueue_after_commit

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_GROUPS, CODE_GROUP_LENGTH = 4, 5  # 20 symbols of 5 bits: 100 random bits


@dataclass
class TrackProgress:
    slug: str
    title: str
    done: int = 0
    total: int = 0


@dataclass
class Completion:
    tracks: list[TrackProgress] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(track.done for track in self.tracks)

    @property
    def total(self) -> int:
        return sum(track.total for track in self.tracks)

    @property
    def awards_certificates(self) -> bool:
        return self.total > 0

    @property
    def complete(self) -> bool:
        return self.awards_certificates and self.done == self.total


def completion(user_id: int, course: Course) -> Completion:
    """Return the user's progress on the required, current items of the completion tracks."""
    slugs = list((course.completion or {}).get("tracks") or [])
    if not slugs:
        return Completion()
    rows = db.session.execute(
        select(Track.slug, Track.title, func.count(Item.id), func.count(ItemProgress.id))
        .join(Module, Module.track_id == Track.id)
        .join(Item, Item.module_id == Module.id)
        .outerjoin(
            ItemProgress,
            and_(
                ItemProgress.item_id == Item.id,
                ItemProgress.user_id == user_id,
                ItemProgress.status == ProgressStatus.DONE,
            ),
        )
        .where(
            Track.course_id == course.id,
            Track.slug.in_(slugs),
            ~Track.archived,
            ~Module.archived,
            ~Item.archived,
            Item.required,
        )
        .group_by(Track.id, Track.slug, Track.title)
    ).all()
    found = {slug: TrackProgress(slug, title, done, total) for slug, title, total, done in rows}
    return Completion([found[slug] for slug in slugs if slug in found])


def certificate_for(user_id: int, course_id: int) -> Certificate | None:
    """Return the user's certificate for the course, if one was issued."""
    return db.session.scalar(
        select(Certificate).where(
            Certificate.user_id == user_id, Certificate.course_id == course_id
        )
    )


def new_code() -> str:
    """Return a random verification code such as K7QF2-MZX9A-..."""
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(
        symbols[start : start + CODE_GROUP_LENGTH]
        for start in range(0, len(symbols), CODE_GROUP_LENGTH)
    )


def normalise_code(text: str) -> str | None:
    """Return a typed code in its stored form, or None when it cannot be one."""
    symbols = re.sub(r"[\s-]", "", text or "").upper()
    if len(symbols) != CODE_GROUPS * CODE_GROUP_LENGTH or set(symbols) - set(CODE_ALPHABET):
        return None
    return "-".join(
        symbols[start : start + CODE_GROUP_LENGTH]
        for start in range(0, len(symbols), CODE_GROUP_LENGTH)
    )


def issue(user: User, course: Course) -> Certificate:
    """Issue the user's certificate once they complete the course; again returns the same one.

    Two requests at once both try to insert; the unique constraint on
    (user, course) lets one win and the other returns the winner's row.
    Flush only.
    """
    existing = certificate_for(user.id, course.id)
    if existing is not None:
        return existing
    progress = completion(user.id, course)
    if not progress.awards_certificates:
        raise DomainError("This course does not award certificates.")
    if not progress.complete:
        raise DomainError(
            "You have not completed the course yet: "
            f"{progress.done} of {progress.total} required items are done. "
            "No certificate was issued."
        )
    certificate = Certificate(
        user_id=user.id,
        course_id=course.id,
        code=new_code(),
        holder_name=user.display_name,
        course_title=course.title,
        tracks=[track.title for track in progress.tracks],
        issued_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        existing = certificate_for(user.id, course.id)
        if existing is None:
            raise
        return existing
    record(
        user.id, "certificate.issue", course_id=course.id, target=f"certificate:{certificate.id}"
    )
    enqueue_after_commit(store_pdf, certificate.id)
    return certificate


def find_by_code(text: str) -> Certificate:
    """Return the certificate with this code, or raise NotFound."""
    code = normalise_code(text)
    certificate = None
    if code is not None:
        certificate = db.session.scalar(select(Certificate).where(Certificate.code == code))
    if certificate is None:
        raise NotFound("No certificate has this code. Check it and try again.")
    return certificate


def course_certificates(course_id: int) -> list[Certificate]:
    """Return the certificates issued in the course, newest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.course_id == course_id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def get_in_course(course_id: int, certificate_id: int) -> Certificate:
    """Return a certificate of this course (never another's), or raise NotFound."""
    certificate = db.session.scalar(
        select(Certificate).where(
            Certificate.id == certificate_id, Certificate.course_id == course_id
        )
    )
    if certificate is None:
        raise NotFound("There is no such certificate in this course.")
    return certificate


def revoke(actor_id: int, certificate: Certificate) -> bool:
    """Revoke a certificate once, even when two people do it at once. Flush only."""
    return _change_validity(actor_id, certificate, revoke=True)


def reinstate(actor_id: int, certificate: Certificate) -> bool:
    """Make a revoked certificate valid again, with its code (a revocation in error). Flush only."""
    return _change_validity(actor_id, certificate, revoke=False)


def _change_validity(actor_id: int, certificate: Certificate, *, revoke: bool) -> bool:
    # A conditional update: only the first of two racing changes alters the row.
    changed = rows_changed(
        update(Certificate)
        .where(
            Certificate.id == certificate.id,
            Certificate.revoked_at.is_(None) if revoke else Certificate.revoked_at.is_not(None),
        )
        .values(revoked_at=utcnow() if revoke else None, revoked_by_id=actor_id if revoke else None)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(certificate)
    if changed:
        record(
            actor_id,
            "certificate.revoke" if revoke else "certificate.reinstate",
            course_id=certificate.course_id,
            target=f"certificate:{certificate.id}",
        )
    return bool(changed)
