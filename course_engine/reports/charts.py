"""The rows the dashboard's SVG charts draw: labels, values, shown text and colours."""

from course_engine.reports.activities import BINS, ModuleRow
from course_engine.reports.filters import STATUS_LABELS, Status

# Colours with at least 3:1 contrast on white, as WCAG asks of graphics.
STATUS_COLOURS = {
    Status.NOT_STARTED: "#6c757d",
    Status.BEHIND: "#b02a37",
    Status.ON_TRACK: "#0d6efd",
    Status.COMPLETE: "#146c43",
}
BAR_COLOUR = "#0d6efd"


def progress_bars(summary: dict[Status, int]) -> list[tuple]:
    """Return one bar per progress status."""
    return [
        (STATUS_LABELS[status], count, str(count), STATUS_COLOURS[status])
        for status, count in summary.items()
    ]


def module_bars(modules: list[ModuleRow]) -> list[tuple]:
    """Return one bar per module: the percent of learners who completed it."""
    return [(row.title, row.percent, f"{row.percent:g}%", BAR_COLOUR) for row in modules]


def bin_labels() -> list[str]:
    """Return the names of the ten score bins: 0–9, 10–19, ..., 90–100."""
    return [f"{10 * n}–{10 * n + 9 if n < BINS - 1 else 100}" for n in range(BINS)]
