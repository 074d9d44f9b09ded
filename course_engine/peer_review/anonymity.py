"""Anonymity: the one place that decides what name a participant sees for an author or reviewer.

Every page and email of peer review for participants asks `label()`; nothing
else prints an author's or a reviewer's name to them. Staff pages, exports
and emails name authors through blind marking's rule (deliverables.blind),
never through this module.
"""

import os
from dataclasses import dataclass

AUTHOR, REVIEWER = "author", "reviewer"
HIDES = {
    AUTHOR: {"both", "hide_author"},
    REVIEWER: {"both", "hide_reviewer"},
}


@dataclass(frozen=True)
class ReviewViewer:
    """Who is looking, as a participant of peer review (also when they run the course)."""

    user_id: int | None


def hides(anonymity: str, role: str) -> bool:
    """Tell whether the settings hide people in this role from the other side."""
    return anonymity in HIDES[role]


def author_alias(pseudonym: int) -> str:
    return f"Participant {pseudonym}"


def reviewer_alias(number: int) -> str:
    return f"Reviewer {number}"


def label(
    viewer: ReviewViewer, anonymity: str, *, role: str, user_id: int, name: str, alias: str
) -> str:
    """Return the name the viewer may see for a person acting in this role."""
    if viewer.user_id == user_id or not hides(anonymity, role):
        return name
    return alias


def author_label(viewer: ReviewViewer, anonymity: str, submission, name: str) -> str:
    """Return the label of a submission's author for the viewer."""
    return label(
        viewer, anonymity, role=AUTHOR, user_id=submission.user_id, name=name,
        alias=author_alias(submission.pseudonym),
    )  # fmt: skip


def reviewer_label(viewer: ReviewViewer, anonymity: str, allocation, name: str) -> str:
    """Return the label of an allocation's reviewer for the viewer."""
    return label(
        viewer, anonymity, role=REVIEWER, user_id=allocation.reviewer_id, name=name,
        alias=reviewer_alias(allocation.number),
    )  # fmt: skip


def hides_author_from(viewer: ReviewViewer, anonymity: str, submission) -> bool:
    """Tell whether the viewer must not learn who wrote the submission."""
    return viewer.user_id != submission.user_id and hides(anonymity, AUTHOR)


def file_name(
    viewer: ReviewViewer, anonymity: str, submission, index: int, display_name: str
) -> str:
    """Return the download name of a submission's file: neutral when the author is hidden."""
    if not hides_author_from(viewer, anonymity, submission):
        return display_name
    extension = os.path.splitext(display_name)[1].lower()
    return f"submission-{submission.id}-file-{index}{extension}"
