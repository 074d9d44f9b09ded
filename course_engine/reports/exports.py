"""The dashboard's tables as CSV, one line at a time, safe to open in a spreadsheet."""

from collections.abc import Callable, Iterator

from course_engine.csv_export import csv_line
from course_engine.reports.activities import BINS
from course_engine.reports.filters import STATUS_LABELS, Filters
from course_engine.reports.services import Dashboard


def _learners(report: Dashboard, filters: Filters) -> Iterator[list]:
    yield [
        "Name",
        "Email",
        "Country",
        "Group",
        "Required items done",
        "Required items",
        "Last activity (UTC)",
        "Overdue deliverables",
        "Status",
    ]
    for row in report.listed(filters.status):
        last = row.last_activity.isoformat(sep=" ", timespec="minutes") if row.last_activity else ""
        yield [
            row.name,
            row.email,
            row.country,
            row.group or "",
            row.done,
            row.total,
            last,
            row.overdue,
            STATUS_LABELS[row.status],
        ]


def _modules(report: Dashboard, _filters) -> Iterator[list]:
    yield ["Module", "Required items", "Learners who completed it", "Learners", "Percent"]
    for row in report.modules:
        yield [row.title, row.required, row.completed, row.learners, row.percent]


def _bin_label(number: int) -> str:
    return f"{10 * number}-{10 * number + 9 if number < BINS - 1 else 100}%"


def _quizzes(report: Dashboard, _filters) -> Iterator[list]:
    yield ["Quiz", *(_bin_label(number) for number in range(BINS)), "Learners graded"]
    for row in report.quizzes:
        yield [row.item.title, *row.bins, row.graded]


def _deliverables(report: Dashboard, _filters) -> Iterator[list]:
    yield ["Deliverable", "Submitted", "To grade", "Graded, not released", "Released"]
    for row in report.deliverables:
        yield [row.item.title, row.submitted, row.to_grade, row.draft, row.released]


def _surveys(report: Dashboard, _filters) -> Iterator[list]:
    yield ["Survey", "Responses", "Learners"]
    for row in report.surveys:
        yield [row.item.title, row.responses, row.learners]


SECTIONS: dict[str, Callable[[Dashboard, Filters], Iterator[list]]] = {
    "learners": _learners,
    "modules": _modules,
    "quizzes": _quizzes,
    "deliverables": _deliverables,
    "surveys": _surveys,
}


def csv_lines(section: str, report: Dashboard, filters: Filters) -> Iterator[str]:
    """Yield one section of the dashboard as CSV lines."""
    for cells in SECTIONS[section](report, filters):
        yield csv_line(cells)
