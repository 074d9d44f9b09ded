"""One page of a longer list, and paging a query with a single count."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from course_engine.extensions import db

Item = TypeVar("Item")
Other = TypeVar("Other")

# Page numbers shown either side of the current one; farther ones collapse into a gap.
NEIGHBOURS = 2


def page_count(total: int, per_page: int) -> int:
    """Return how many pages `total` items fill; an empty list still has its one page."""
    return max(1, -(-total // per_page))


@dataclass(frozen=True)
class Pagination(Generic[Item]):
    """The items of one page and where that page sits among `total` items (pages from 1)."""

    items: list[Item]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def numbers(self) -> list[int | None]:
        """Return the page numbers a pager links to: first, last, the current one's
        neighbours, and None for each gap between them."""
        shown = {1, self.pages, *range(self.page - NEIGHBOURS, self.page + NEIGHBOURS + 1)}
        numbers: list[int | None] = []
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if numbers and number - 1 != numbers[-1]:
                numbers.append(None)
            numbers.append(number)
        return numbers

    def with_items(self, items: list[Other]) -> "Pagination[Other]":
        """Return the same page holding other items, such as rows turned into views."""
        return Pagination(items, self.page, self.per_page, self.total)


def paginate_rows(rows: Sequence[Item], page: int, per_page: int) -> Pagination[Item]:
    """Return one page of rows already in memory."""
    start = (page - 1) * per_page
    return Pagination(list(rows[start : start + per_page]), page, per_page, len(rows))


def paginate(
    statement: Select[*tuple[Any, ...]],
    page: int,
    per_page: int,
    *,
    scalars: bool = False,
    clamp: bool = False,
) -> Pagination[Any]:
    """Return one page of a select's rows (or first columns, with scalars) in two queries.

    One query counts the rows, the other reads the page. With clamp a page past
    the last is the last page; without, it is an empty page.
    """
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    total = db.session.scalar(counted) or 0
    page = max(page, 1)
    if clamp:
        page = min(page, page_count(total, per_page))
    result = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page))
    items = list(result.scalars()) if scalars else [tuple(row) for row in result]
    return Pagination(items, page, per_page, total)
