"""Writing to the audit log."""

from course_engine.audit.models import AuditEntry
from course_engine.database import utcnow
from course_engine.extensions import db


def record(
    actor_id: int | None, action: str, *, course_id: int | None = None, target: str = "", **details
) -> AuditEntry:
    """Add an entry to the audit log. Flush only."""
    entry = AuditEntry(
        actor_id=actor_id,
        course_id=course_id,
        action=action,
        target=target,
        details=details,
        created_at=utcnow(),
    )
    db.session.add(entry)
    db.session.flush()
    return entry
