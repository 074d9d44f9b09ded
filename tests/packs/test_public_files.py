"""Which pack files members may fetch: what lessons and activity texts link to, nothing else."""

import re
import shutil

import pytest
from sqlalchemy import select

from course_engine.courses.models import Item, PackAsset
from course_engine.courses.services import get_course
from course_engine.extensions import db
from course_engine.packs.importer import PackInvalid, validate_pack
from course_engine.packs.source import is_server_only
from tests.conftest import EXAMPLE_PACK, ROOT, signed_in_client

CARICAD_PACK = ROOT / "courses" / "caricad_innovation"
ASSET_LINK = re.compile(r'(?:href|src)="(/courses/[^"/]+/assets/[^"]+)"')
JOURNEY = "/courses/example-course/assets/example-course/media/journey.png"


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}


@pytest.fixture
def members(make_user, enrol):
    """Return a function that enrols a new learner and facilitator in a course; their clients."""

    def build(app, course_slug):
        learner, facilitator = make_user(), make_user()
        enrol(learner, course_slug)
        enrol(facilitator, course_slug, "facilitator")
        return signed_in_client(app, learner), signed_in_client(app, facilitator)

    return build


def _linked_assets(client, course_slug: str) -> set[str]:
    """Return every pack-file URL the course's item pages link to, as a learner sees them."""
    course = get_course(course_slug)
    slugs = db.session.scalars(
        select(Item.slug).where(Item.course_id == course.id, ~Item.archived)
    ).all()
    links = set()
    for slug in slugs:
        page = client.get(f"/courses/{course_slug}/items/{slug}", follow_redirects=True)
        assert page.status_code == 200, slug
        links.update(ASSET_LINK.findall(page.text))
    return links


@pytest.mark.parametrize(
    ("folder", "course_slug"),
    [(EXAMPLE_PACK, "example-course"), (CARICAD_PACK, "caricad-innovation")],
)
def test_linked_files_download_and_question_files_never_do(
    app, import_pack, members, folder, course_slug
):
    import_pack(folder)
    learner, facilitator = members(app, course_slug)
    links = _linked_assets(learner, course_slug)
    assert links, "the pack's lessons link to files"
    for link in sorted(links):
        assert learner.get(link).status_code == 200, link
    server_only = db.session.scalars(
        select(PackAsset.path).where(PackAsset.course_id == get_course(course_slug).id)
    ).all()
    server_only = [path for path in server_only if is_server_only(path)]
    assert "course.yaml" in server_only
    assert any(path.startswith("quizzes/") for path in server_only)
    for path in server_only:
        url = f"/courses/{course_slug}/assets/{course_slug}/{path}"
        assert learner.get(url).status_code == 404, path
        assert facilitator.get(url).status_code == 404, path


def test_files_nothing_links_to_stay_on_the_server(app, import_pack, members):
    import_pack()
    learner, _ = members(app, "example-course")
    lessons = "/courses/example-course/assets/example-course/lessons"
    assert learner.get(f"{lessons}/service-design.md").status_code == 200  # welcome links it
    assert learner.get(f"{lessons}/welcome.md").status_code == 404


def test_reimport_updates_which_files_are_public(app, import_pack, members, tmp_path):
    folder = tmp_path / "pack"
    shutil.copytree(EXAMPLE_PACK, folder)
    import_pack(folder)
    learner, _ = members(app, "example-course")
    assert learner.get(JOURNEY).status_code == 200
    lesson = folder / "lessons" / "service-design.md"
    lesson.write_text(lesson.read_text().replace("../media/journey.png", "../media/map.png"))
    shutil.copy(folder / "media" / "journey.png", folder / "media" / "map.png")
    import_pack(folder)
    assert learner.get(JOURNEY).status_code == 404
    assert learner.get(JOURNEY.replace("journey", "map")).status_code == 200


@pytest.mark.parametrize(
    "link", ["../quizzes/basics.yaml", "../course.yaml", "../surveys/needs.yaml"]
)
def test_a_lesson_linking_a_question_file_is_refused(import_pack, tmp_path, link):
    folder = tmp_path / "pack"
    shutil.copytree(EXAMPLE_PACK, folder)
    lesson = folder / "lessons" / "welcome.md"
    lesson.write_text(lesson.read_text() + f"\n[The answers]({link})\n")
    _, problems = validate_pack(folder)
    messages = [str(problem) for problem in problems]
    assert any(
        message.startswith("lessons/welcome.md:1: link") and "members never see" in message
        for message in messages
    ), messages
    with pytest.raises(PackInvalid):
        import_pack(folder)


def test_a_deliverable_template_that_is_a_question_file_is_refused(app, tmp_path):
    folder = tmp_path / "pack"
    shutil.copytree(EXAMPLE_PACK, folder)
    manifest = folder / "course.yaml"
    manifest.write_text(
        manifest.read_text().replace(
            "template: templates/service-sketch.md", "template: quizzes/basics.yaml"
        )
    )
    _, problems = validate_pack(folder)
    assert any(
        "template: 'quizzes/basics.yaml' holds questions" in str(problem) for problem in problems
    ), [str(problem) for problem in problems]
