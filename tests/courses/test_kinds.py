"""Lessons: links from one lesson to another open the other lesson's page."""

import re

from course_engine.courses.outline import find_item
from tests.conftest import ROOT, signed_in_client


def test_a_link_to_another_lesson_opens_its_page(app, world):
    body = find_item("example-course", "welcome").body_html
    assert 'href="/courses/example-course/items/service-design"' in body
    assert "service-design.md" not in body
    page = signed_in_client(app, world["learner"]).get("/courses/example-course/items/welcome")
    assert 'href="/courses/example-course/items/service-design"' in page.text


LINK_TO_MARKDOWN = re.compile(r'href="[^"]*\.md(#[^"]*)?"')


def test_links_between_the_caricad_lessons_open_their_pages(app, import_pack):
    import_pack(ROOT / "courses" / "caricad_innovation")
    body = find_item("caricad-innovation", "welcome-how-the-course-works").body_html
    assert "/courses/caricad-innovation/items/welcome-glossary" in body
    assert not LINK_TO_MARKDOWN.search(body)
