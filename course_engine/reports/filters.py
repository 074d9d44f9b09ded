"""The dashboard's filters and table pages, checked before any report query runs."""

import enum
from dataclasses import dataclass

from course_engine.errors import DomainError, NotFound
from course_engine.pagination import Pagination, page_count, paginate_rows

PAGE_SIZE = 50


class Status(enum.StrEnum):
    NOT_STARTED = "not_started"
    BEHIND = "behind"
    ON_TRACK = "on_track"
    COMPLETE = "complete"


STATUS_LABELS = {
    Status.NOT_STARTED: "Not started",
    Status.BEHIND: "Behind",
    Status.ON_TRACK: "On track",
    Status.COMPLETE: "Complete",
}


@dataclass(frozen=True)
class Filters:
    """Which learners the dashboard counts (group, country) and lists (status too)."""

    group_id: int | None = None
    country: str | None = None
    status: Status | None = None

    def args(self, **extra) -> dict:
        """Return the filters as query-string arguments, for links that keep them."""
        values = {"group": self.group_id, "country": self.country, "status": self.status}
        return {key: value for key, value in {**values, **extra}.items() if value}


def parse_filters(
    groups: list[tuple[int, str]], *, group: str | None, country: str | None, status: str | None
) -> Filters:
    """Return the filters from query-string values, or raise DomainError naming the bad one."""
    group_id = None
    if group:
        known = {str(group_id): group_id for group_id, _ in groups}
        if group not in known:
            raise DomainError("There is no such group in this course.")
        group_id = known[group]
    if status and status not in Status.__members__.values():
        choices = ", ".join(Status)
        raise DomainError(f"Unknown progress status {status!r}: choose one of {choices}.")
    # A country nobody in the cohort is from is not an error: it matches no one.
    return Filters(group_id, (country or "").strip() or None, Status(status) if status else None)


def paginate(rows: list, number: str | None, size: int = PAGE_SIZE) -> Pagination:
    """Return one page of rows; a page that is not a positive number or past the end is refused."""
    if number is None or number == "":
        wanted = 1
    elif number.isascii() and number.isdigit() and int(number) >= 1:
        wanted = int(number)
    else:
        raise DomainError("The page must be a whole number from 1.")
    pages = page_count(len(rows), size)
    if wanted > pages:
        raise NotFound(f"There is no page {wanted}: the list has {pages} page(s).")
    return paginate_rows(rows, wanted, size)
