"""The `live_session` item kind."""

from course_engine import dates
from course_engine.courses.models import Item
from course_engine.live_sessions import services
from course_engine.live_sessions.times import is_https, session_start, zone
from course_engine.packs.registry import ItemKind, Key
from course_engine.packs.source import MANIFEST, PackSource, Problems
from course_engine.rendering import render_markdown

MAX_MINUTES = 24 * 60


class LiveSessionKind(ItemKind):
    name = "live_session"
    keys = {
        "start": Key(dates.WHEN, required=True),
        "duration_minutes": Key(int, required=True),
        "timezone": Key(str, required=True),
        "join_url": Key(str),
        "recording_url": Key(str),
        "description": Key(str),
    }
    endpoint = "live_sessions.show"

    def validate(self, entry, source: PackSource, problems: Problems) -> None:
        if zone(entry["timezone"]) is None:
            problems.add(
                MANIFEST,
                entry.line_of("timezone"),
                f"unknown time zone '{entry['timezone']}' (use an IANA name like America/Barbados)",
            )
        else:
            try:
                session_start(entry["start"], entry["timezone"])
            except ValueError:
                problems.add(
                    MANIFEST,
                    entry.line_of("start"),
                    "'start' must be an ISO 8601 date-time, e.g. 2027-02-01T14:00:00-04:00",
                )
        if not 0 < entry["duration_minutes"] <= MAX_MINUTES:
            problems.add(
                MANIFEST,
                entry.line_of("duration_minutes"),
                f"'duration_minutes' must be between 1 and {MAX_MINUTES}",
            )
        for key in ("join_url", "recording_url"):
            if key in entry and not is_https(entry[key]):
                problems.add(MANIFEST, entry.line_of(key), f"'{key}' must be an https link")

    def load(self, item: Item, entry: dict, source: PackSource) -> None:
        services.load_session(
            item,
            starts_at=session_start(entry["start"], entry["timezone"]),
            duration_minutes=entry["duration_minutes"],
            timezone=entry["timezone"],
            join_url=entry.get("join_url", ""),
            recording_url=entry.get("recording_url"),
            description_html=str(render_markdown(entry.get("description", ""))),
        )
