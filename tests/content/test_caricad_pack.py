"""The CARICAD course pack: its shape, its links and its quizzes."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from course_engine.courses.kinds import split_front_matter
from course_engine.courses.models import Course, Item, Module, Track
from course_engine.extensions import db
from course_engine.packs.yaml_source import load_yaml
from course_engine.quizzes.gift import parse_gift
from course_engine.quizzes.questions import load_yaml_questions
from tests.conftest import ROOT

MAIN_PACK = ROOT / "courses" / "caricad_innovation"
LDP_PACK = ROOT / "courses" / "caricad_leadership"
DAYS = [f"day-{number}" for number in range(1, 6)]
DELIVERABLE_DAYS = {"day-2", "day-3", "day-4", "day-5"}
# Reference pages: looked up, not read through, so no word count or exercise.
REFERENCE_PAGES = {"welcome-glossary"}
GLOSSARY = MAIN_PACK / "lessons" / "welcome" / "glossary.md"


@pytest.fixture
def imported(import_pack):
    import_pack(MAIN_PACK)
    import_pack(LDP_PACK)
    return db.session.scalar(select(Course).where(Course.slug == "caricad-innovation"))


def _items(module_slug: str) -> list[Item]:
    return list(
        db.session.scalars(
            select(Item).join(Module).where(Module.slug == module_slug).order_by(Item.position)
        )
    )


def test_main_track_has_a_welcome_module_and_five_days(imported):
    track = db.session.scalar(select(Track).where(Track.slug == "five-day-course"))
    assert [module.slug for module in track.modules] == ["welcome", *DAYS]
    welcome_kinds = {item.kind for item in _items("welcome")}
    assert {"page", "deliverable", "survey"} <= welcome_kinds
    assert (
        db.session.scalar(select(Item).where(Item.slug == "personal-objectives")).kind
        == "deliverable"
    )


@pytest.mark.parametrize("day", DAYS)
def test_each_day_has_lessons_a_quiz_a_discussion_and_its_deliverable(imported, day):
    items = _items(day)
    kinds = [item.kind for item in items]
    assert 3 <= kinds.count("page") <= 5
    assert kinds.count("quiz") == 1
    assert kinds.count("discussion") == 1
    deliverables = [item for item in items if item.kind == "deliverable"]
    if day in DELIVERABLE_DAYS:
        assert len(deliverables) == 1
        rubric = deliverables[0].spec["rubric"]
        assert 3 <= len(rubric) <= 5
        assert all(len(criterion["levels"]) >= 3 for criterion in rubric)
        assert deliverables[0].spec.get("template")


def test_lessons_are_substantial_and_end_with_something_to_do(imported):
    pages = db.session.scalars(
        select(Item)
        .join(Module)
        .join(Track)
        .where(Track.slug == "five-day-course", Item.kind == "page")
    ).all()
    assert len(pages) >= 17
    for page in pages:
        if page.slug in REFERENCE_PAGES:
            continue
        words = len(page.body.split())
        assert 400 <= words <= 1300, (page.slug, words)
        assert "Try this" in page.body, page.slug


def test_the_case_library_covers_the_nine_action_areas(imported):
    track = db.session.scalar(select(Track).where(Track.slug == "case-library"))
    pages = [item for module in track.modules for item in module.items]
    assert len(pages) == 9 and all(page.kind == "page" for page in pages)


def test_the_leadership_programme_is_an_extra_track_of_the_course(imported):
    track = db.session.scalar(select(Track).where(Track.slug == "leadership-development"))
    assert track.course_id == imported.id
    assert track.pack_key != imported.slug
    assert len(track.modules) == 4
    for module in track.modules:
        kinds = {item.kind for item in module.items}
        assert {"page", "discussion", "deliverable"} <= kinds
    assert db.session.scalar(select(Item).where(Item.slug == "ldp-personal-leadership-action-plan"))


def _quiz_files() -> list[Path]:
    return sorted((MAIN_PACK / "quizzes").iterdir())


def test_at_least_one_quiz_is_written_in_gift():
    assert any(path.suffix == ".gift" for path in _quiz_files())


@pytest.mark.parametrize("path", _quiz_files(), ids=lambda path: path.name)
def test_every_quiz_question_has_a_right_answer_and_feedback(path):
    text = path.read_text()
    if path.suffix == ".gift":
        questions, errors = parse_gift(text, path.name)
    else:
        questions, errors = load_yaml_questions(text, path.name)
    assert not errors
    assert 6 <= len(questions) <= 10
    assert len({question.type for question in questions}) >= 3
    for question in questions:
        if question.type == "essay":
            continue
        assert any(answer.fraction == 1 for answer in question.answers) or question.type in {
            "multiple",
            "matching",
        }, question.key
        if question.type in {"single", "multiple", "truefalse"}:
            assert all(answer.feedback for answer in question.answers), question.key
        assert question.general_feedback or all(answer.feedback for answer in question.answers), (
            question.key
        )


def test_lessons_have_no_raw_html():
    for path in MAIN_PACK.rglob("*.md"):
        body = split_front_matter(path.read_text())[1]
        assert "<script" not in body and "<iframe" not in body, path


def test_manifests_load_safely():
    for pack in (MAIN_PACK, LDP_PACK):
        assert load_yaml((pack / "course.yaml").read_text())


# CARICAD's 17 member states, as the course brief and issue 21 list them
# (Haiti is a CARICOM member but not a CARICAD member).
CARICAD_MEMBERS = [
    "Anguilla",
    "Antigua and Barbuda",
    "The Bahamas",
    "Barbados",
    "Belize",
    "British Virgin Islands",
    "Dominica",
    "Grenada",
    "Guyana",
    "Jamaica",
    "Montserrat",
    "St. Kitts and Nevis",
    "St. Lucia",
    "St. Vincent and the Grenadines",
    "Suriname",
    "Trinidad and Tobago",
    "Turks and Caicos Islands",
]


def _pre_course_questions() -> dict[str, dict]:
    survey = load_yaml((MAIN_PACK / "surveys" / "pre-course.yaml").read_text())
    return {question["id"]: question for question in survey["questions"]}


def test_the_survey_lists_exactly_caricads_members_and_other():
    options = _pre_course_questions()["pcs-country"]["options"]
    assert len(CARICAD_MEMBERS) == 17
    assert options == [*CARICAD_MEMBERS, "Other"]


def test_the_survey_asks_about_laws_id_connectivity_devices_and_language():
    questions = _pre_course_questions()
    for key in (
        "pcs-data-protection-law",
        "pcs-electronic-transactions-law",
        "pcs-digital-id",
        "pcs-connectivity",
        "pcs-devices",
    ):
        assert questions[key]["type"] in {"single", "multiple"}, key
    languages = ["English", "Dutch", "Spanish", "French", "Other"]
    assert questions["pcs-language"]["options"] == languages


# All-caps words of two or more letters (digits allowed after the first letter).
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*\b")
URL = re.compile(r"<https?://[^>]+>|\(https?://[^)]+\)|https?://\S+")
# All-caps words in lessons that are not abbreviations to explain.
NOT_ACRONYMS: set[str] = set()


def _lesson_files() -> list[Path]:
    return sorted(
        path
        for pack in (MAIN_PACK, LDP_PACK)
        for path in (pack / "lessons").rglob("*.md")
        if path != GLOSSARY
    )


def _glossary_terms() -> set[str]:
    terms = set()
    for line in GLOSSARY.read_text().splitlines():
        if line.startswith("- **"):
            for bold in re.findall(r"\*\*([^*]+)\*\*", line.split(":", 1)[0]):
                terms.update(ACRONYM.findall(bold))
    return terms


def test_every_acronym_in_the_lessons_is_in_the_glossary():
    used: dict[str, str] = {}
    for path in _lesson_files():
        body = URL.sub("", split_front_matter(path.read_text())[1])
        for word in ACRONYM.findall(body):
            used.setdefault(word, path.relative_to(ROOT).as_posix())
    missing = {
        word: where
        for word, where in used.items()
        if word not in _glossary_terms() and word not in NOT_ACRONYMS
    }
    assert not missing, missing


def test_the_glossary_is_a_page_of_the_welcome_module(imported):
    glossary = db.session.scalar(select(Item).where(Item.slug == "welcome-glossary"))
    assert glossary.kind == "page" and glossary.module.slug == "welcome"
    welcome = (MAIN_PACK / "lessons" / "welcome" / "how-the-course-works.md").read_text()
    assert "(glossary.md)" in welcome


SOURCES = MAIN_PACK / "SOURCES.md"
COMPENDIUM_URL = "https://www.un-ilibrary.org/content/books/9789210053709c001"
CASE_LIBRARY = sorted((MAIN_PACK / "lessons" / "case-library").glob("*.md"))
CITED_URL = re.compile(r"<(https?://[^>\s]+)>|\]\((https?://[^)\s]+)\)")


def _sources_section(path: Path) -> list[str]:
    body = split_front_matter(path.read_text())[1]
    assert "## Sources and further reading" in body, path.name
    section = body.split("## Sources and further reading", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("- ")]


@pytest.mark.parametrize("path", CASE_LIBRARY, ids=lambda path: path.stem)
def test_every_case_library_page_names_the_compendium_and_cites_two_sources(path):
    body = path.read_text()
    assert "Compendium of Digital Government Initiatives" in body
    assert f"]({COMPENDIUM_URL})" in body
    cited = [line for line in _sources_section(path) if re.search(r"<https?://[^>]+>", line)]
    assert len(cited) >= 2, path.name
    for line in cited:
        assert SOURCE_ENTRY.match(line), line


# A source entry: title in italics, then author or publisher and the year (or
# "undated"), then the URL.
SOURCE_ENTRY = re.compile(r"- \*[^*]+\*.*, .*\b(\d{4}|undated)\b[^<]*<https?://")


@pytest.mark.parametrize(
    "path", _lesson_files(), ids=lambda path: path.relative_to(ROOT / "courses").as_posix()
)
def test_every_lesson_ends_with_two_or_more_sources_with_urls(path):
    """Issue 21, item 2: readings and attributions on every lesson, not only the case library."""
    body = split_front_matter(path.read_text())[1]
    last_heading = body.rsplit("\n## ", 1)[-1]
    assert last_heading.startswith("Sources and further reading"), path.name
    cited = [line for line in _sources_section(path) if re.search(r"<https?://[^>]+>", line)]
    assert len(cited) >= 2, path.name
    for line in cited:
        assert SOURCE_ENTRY.match(line), line
    urls = [re.search(r"<(https?://[^>\s]+)>", line).group(1) for line in cited]
    assert len(set(urls)) == len(urls), path.name


def test_every_lesson_page_of_the_manifests_is_checked_for_sources():
    checked = {path.resolve() for path in _lesson_files()}
    for pack in (MAIN_PACK, LDP_PACK):
        manifest = load_yaml((pack / "course.yaml").read_text())
        for track in manifest["tracks"]:
            for module in track["modules"]:
                for item in module["items"]:
                    if item["kind"] == "page" and item["id"] not in REFERENCE_PAGES:
                        assert (pack / item["file"]).resolve() in checked, item["id"]


def test_sources_md_lists_every_url_cited_in_the_pack_with_a_date():
    listed = SOURCES.read_text()
    for pack in (MAIN_PACK, LDP_PACK):
        for path in pack.rglob("*.md"):
            if path == SOURCES:
                continue
            for match in CITED_URL.finditer(path.read_text()):
                url = match.group(1) or match.group(2)
                assert f"<{url}>" in listed, (path.relative_to(ROOT).as_posix(), url)
    for line in listed.splitlines():
        if re.search(r"<https?://", line):
            assert re.search(r"(Checked|Listed) 2\d{3}-\d{2}-\d{2}", line), line


def test_sources_md_has_no_dead_relative_links():
    for target in re.findall(r"\]\(([^)\s]+)\)", SOURCES.read_text()):
        if target.startswith(("http://", "https://", "mailto:", "#")):
            continue
        assert (MAIN_PACK / target).is_file(), target


KIND_WORDS = {
    "page": "lessons",
    "survey": "survey",
    "live_session": "webinars",
    "quiz": "daily quizzes",
    "discussion": "daily peer exchanges",
    "deliverable": "deliverables",
}


def test_how_the_course_works_states_the_certificate_rules_the_engine_enforces():
    manifest = load_yaml((MAIN_PACK / "course.yaml").read_text())
    [track] = [t for t in manifest["tracks"] if t["id"] in manifest["completion"]["tracks"]]
    items = [item for module in track["modules"] for item in module["items"]]
    required = [item for item in items if item.get("required", True)]
    text = (MAIN_PACK / "lessons" / "welcome" / "how-the-course-works.md").read_text()
    rules = text.split("## How to complete the course", 1)[1].split("\n## ", 1)[0]
    counts = {kind: sum(item["kind"] == kind for item in required) for kind in KIND_WORDS}
    for kind, count in counts.items():
        if count == 0:
            assert KIND_WORDS[kind] not in rules, kind
        elif count == 1:
            assert f"the {KIND_WORDS[kind]}" in rules.replace("pre-course ", ""), kind
        else:
            assert f"{count} {KIND_WORDS[kind]}" in rules, kind
    pass_marks = {item["pass_percent"] for item in required if item["kind"] == "quiz"}
    assert pass_marks == {60} and "60% or more" in rules
    posts = {item["completion_posts"] for item in required if item["kind"] == "discussion"}
    assert posts == {2} and "2 posts" in rules
    reviews_count = any(
        (item.get("peer_review") or {}).get("reviews_complete_item") for item in required
    )
    assert reviews_count or "does not wait for them" in rules
