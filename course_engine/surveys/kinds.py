"""The `survey` item kind."""

from typing import Any, cast

from course_engine import dates
from course_engine.courses.kinds import asset_folder_url, check_markdown
from course_engine.courses.models import Item
from course_engine.packs.registry import ItemKind, Key
from course_engine.packs.source import MANIFEST, PackSource, Problems
from course_engine.rendering import render_markdown
from course_engine.surveys import services
from course_engine.surveys.questions import read_questions


def _survey_file(entry: dict[str, Any], source: PackSource) -> str:
    """Return the pack path of the entry's survey file."""
    # The manifest checks that every path key resolves before the kind sees the entry.
    return cast(str, source.resolve(entry["file"]))


class SurveyKind(ItemKind):
    name = "survey"
    keys = {
        "file": Key(str, required=True, is_path=True),
        "anonymous": Key(bool),
        "closes": Key(dates.WHEN),
    }
    endpoint = "surveys.show"

    def validate(self, entry, source: PackSource, problems: Problems) -> None:
        if "closes" in entry:
            try:
                dates.parse_end(entry["closes"])
            except ValueError:
                problems.add(
                    MANIFEST, entry.line_of("closes"), "'closes' must be an ISO 8601 date-time"
                )
        path = _survey_file(entry, source)
        before = len(problems.items)
        data = source.load_yaml(path, problems)
        if len(problems.items) > before:
            return
        for question in read_questions(data, path, problems):
            check_markdown(path, question.text, source, problems)

    def load(self, item: Item, entry: dict, source: PackSource) -> None:
        path = _survey_file(entry, source)
        questions = read_questions(source.load_yaml(path, Problems()), path, Problems())
        base_url = asset_folder_url(item.module.track.course.slug, item.pack_key, path)
        services.load_survey(
            item,
            questions,
            anonymous=entry.get("anonymous", False),
            closes_at=dates.parse_end(entry.get("closes")),
            render=lambda text: render_markdown(text, base_url=base_url),
        )
