"""The learner's path: dashboard, outline, lessons, pack files and progress."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from bench.synthetic import write_pack
from course_engine.courses.models import Course, Item, ItemProgress
from course_engine.courses.outline import find_item
from course_engine.courses.outline import neighbours as place_neighbours
from course_engine.extensions import db
from course_engine.packs import registry
from tests.support.queries import count_queries

# Every item of the example course that its own domain completes: one of each kind but page.
ACTIVITIES = [
    "check-your-understanding",
    "introductions",
    "service-sketch",
    "needs-survey",
    "kick-off",
]

DESIGN_ENTRY = """          - id: service-design
            kind: page
            title: Designing a service
            file: lessons/service-design.md
"""


@pytest.fixture
def app_settings():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def learner(world, login):
    login(world["learner"])
    return world["learner"]


def test_dashboard_shows_courses_with_progress_and_resume(client, learner):
    page = client.get("/").text
    assert "Example course" in page
    assert "0 of 5 required items done" in page
    assert "Start the course" in page
    client.get("/courses/example-course/items/service-design")
    page = client.get("/").text
    assert "Resume where you left off" in page
    assert "/courses/example-course/items/service-design" in page


def test_outline_lists_tracks_modules_and_item_status(client, learner):
    client.post("/courses/example-course/items/welcome/done")
    page = client.get("/courses/example-course/").text
    assert "Main track" in page and "Getting started" in page and "Working together" in page
    assert "1 of 3 done" in page
    assert page.count("Not started") >= 2
    assert "Done" in page


def test_lesson_page_renders_sanitised_markdown_with_navigation(client, learner):
    page = client.get("/courses/example-course/items/service-design").text
    assert "<strong>around the person who uses it</strong>" in page
    assert "<table>" in page
    assert 'src="/courses/example-course/assets/example-course/media/journey.png"' in page
    assert 'rel="nofollow noopener"' in page
    assert 'rel="prev"' in page and "Welcome" in page
    assert 'rel="next"' in page and "Check your understanding" in page
    assert "minute" in page


def test_learners_step_over_archived_items_and_staff_find_them_after_the_live_ones(
    world, client_for, import_pack, pack_copy
):
    import_pack(pack_copy(replace=(DESIGN_ENTRY, "")))
    welcome = "/courses/example-course/items/welcome"
    quiz_link = 'href="/courses/example-course/items/check-your-understanding" rel="next"'
    learner_page = client_for(world["learner"]).get(welcome).text
    assert quiz_link in learner_page
    staff = client_for(world["facilitator"])
    assert quiz_link in staff.get(welcome).text
    archived_page = staff.get("/courses/example-course/items/service-design").text
    assert "This item is archived" in archived_page
    assert 'items/check-your-understanding" rel="prev"' in archived_page
    assert 'items/introductions" rel="next"' in archived_page


def test_front_matter_sets_the_reading_time(client, learner):
    assert "About 3 minutes of reading" in client.get("/courses/example-course/items/welcome").text


def test_mark_as_done_moves_the_progress_bar(client, learner):
    assert 'value="0"' in client.get("/").text
    response = client.post("/courses/example-course/items/welcome/done")
    assert response.status_code == 302
    assert 'value="1"' in client.get("/").text
    client.post("/courses/example-course/items/welcome/done")
    rows = db.session.scalars(select(ItemProgress).where(ItemProgress.user_id == learner.id)).all()
    assert len(rows) == 1


def test_only_the_page_kind_is_completed_by_hand(app):
    by_hand = [name for name in registry.names() if registry.get(name).completed_by_hand]
    assert by_hand == ["page"]


@pytest.mark.parametrize("slug", ACTIVITIES)
def test_an_activity_cannot_be_marked_done_by_hand(client, learner, slug):
    response = client.post(f"/courses/example-course/items/{slug}/done")
    assert response.status_code == 400
    assert "completed by doing it, not by marking it done" in response.text
    assert db.session.scalar(select(func.count()).select_from(ItemProgress)) == 0


def test_only_lessons_offer_the_mark_as_done_button(client, learner):
    assert "Mark as done" in client.get("/courses/example-course/items/welcome").text
    item = find_item("example-course", "introductions")
    item.kind = "not-a-kind"
    db.session.commit()
    page = client.get("/courses/example-course/items/introductions")
    assert page.status_code == 200 and "Mark as done" not in page.text


def test_pack_images_are_served_with_type_and_caching(client, learner):
    response = client.get("/courses/example-course/assets/example-course/media/journey.png")
    assert response.status_code == 200
    assert response.content_type == "image/png"
    assert "max-age" in response.headers["Cache-Control"]
    assert response.headers["ETag"]
    again = client.get(
        "/courses/example-course/assets/example-course/media/journey.png",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def test_pack_text_files_are_downloads_not_pages(client, learner):
    response = client.get(
        "/courses/example-course/assets/example-course/templates/service-sketch.md"
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/courses/other-course/",
        "/courses/other-course/items/welcome",
        "/courses/other-course/assets/other-course/media/journey.png",
        "/courses/example-course/assets/example-course/../../etc/passwd",
        "/courses/example-course/items/no-such-item",
        "/courses/no-such-course/",
    ],
)
def test_learner_cannot_open_another_course_or_missing_things(client, learner, path):
    assert client.get(path).status_code == 404


def test_archived_items_are_hidden_from_learners_and_greyed_for_facilitators(
    app, world, client, login
):
    item = db.session.scalar(select(Item).where(Item.slug == "service-design"))
    item.archived = True
    db.session.commit()
    login(world["learner"])
    assert client.get("/courses/example-course/items/service-design").status_code == 404
    assert "Designing a service" not in client.get("/courses/example-course/").text
    client.post("/auth/logout")
    login(world["facilitator"])
    page = client.get("/courses/example-course/").text
    assert "Designing a service" in page and "item-archived" in page
    assert client.get("/courses/example-course/items/service-design").status_code == 200


def _course_with_cohort(import_pack, make_user, enrol, tmp_path, modules, lessons, learners):
    import_pack(
        write_pack(
            tmp_path / f"pack-{modules}-{lessons}",
            course_id=f"c{modules}x{lessons}",
            modules=modules,
            lessons=lessons,
        )
    )
    slug = f"c{modules}x{lessons}"
    users = [make_user() for _ in range(learners)]
    for user in users:
        enrol(user, slug, "learner")
    return slug, users


@pytest.mark.parametrize(
    "page, limit",
    [("/courses/{slug}/items/m1-l2", 2), ("/courses/{slug}/", 6), ("/", 6)],
    ids=["lesson", "outline", "dashboard"],
)
def test_pages_send_a_fixed_number_of_queries_whatever_the_size(
    app, client, import_pack, make_user, enrol, login, tmp_path, page, limit
):
    counts = []
    for modules, lessons, learners in [(1, 3, 2), (8, 25, 30)]:
        slug, users = _course_with_cohort(
            import_pack, make_user, enrol, tmp_path, modules, lessons, learners
        )
        login(users[0])
        client.post(f"/courses/{slug}/items/m1-l1/done")
        client.get(page.format(slug=slug))
        with count_queries() as statements:
            assert client.get(page.format(slug=slug)).status_code == 200
        counts.append(len(statements))
        client.post("/auth/logout")
    assert counts[0] == counts[1] <= limit, counts


def test_a_learner_steps_across_modules(
    app, client, import_pack, make_user, enrol, login, tmp_path
):
    slug, users = _course_with_cohort(import_pack, make_user, enrol, tmp_path, 2, 3, 1)
    login(users[0])
    page = client.get(f"/courses/{slug}/items/m2-l1").text
    assert f'href="/courses/{slug}/items/m1-l3" rel="prev"' in page
    assert f'href="/courses/{slug}/items/m2-l2" rel="next"' in page
    last = client.get(f"/courses/{slug}/items/m2-l3").text
    assert 'rel="next"' not in last


def _reading_order() -> dict[str, tuple[str | None, str | None]]:
    """Return the example course's items' stored previous and next item, by slug."""
    previous, following = aliased(Item), aliased(Item)
    rows = db.session.execute(
        select(Item.slug, previous.slug, following.slug)
        .join(Course, Course.id == Item.course_id)
        .outerjoin(previous, previous.id == Item.previous_item_id)
        .outerjoin(following, following.id == Item.next_item_id)
        .where(Course.slug == "example-course")
    )
    return {slug: (before, after) for slug, before, after in rows}


def test_imports_store_the_reading_order_across_modules_without_archived_items(
    world, import_pack, pack_copy
):
    order = _reading_order()
    assert order["welcome"] == (None, "service-design")
    assert order["check-your-understanding"] == ("service-design", "introductions")
    assert order["kick-off"][1] is None

    import_pack(pack_copy(replace=(DESIGN_ENTRY, "")))
    order = _reading_order()
    assert order["service-design"] == (None, None)
    assert order["welcome"] == (None, "check-your-understanding")
    assert order["check-your-understanding"] == ("welcome", "introductions")

    import_pack()
    assert _reading_order()["check-your-understanding"] == ("service-design", "introductions")


def test_staff_neighbours_cross_modules_and_include_archived_items(world):
    def neighbours(item):
        return place_neighbours(item.module.track_id, item.module.position, item.position)

    quiz = find_item("example-course", "check-your-understanding")
    assert neighbours(quiz) == (
        ("service-design", "Designing a service"),
        ("introductions", "Introduce yourself"),
    )
    find_item("example-course", "service-design").archived = True
    db.session.commit()
    assert neighbours(quiz)[0] == ("service-design", "Designing a service")
    assert neighbours(find_item("example-course", "welcome"))[0] is None


def test_a_peer_reviewer_sees_the_outline_without_learner_links_or_progress(world, client_for):
    page = client_for(world["peer_reviewer"]).get("/courses/example-course/").text
    assert "Getting started" in page and "Peer review" in page
    assert "Your grades" not in page and "Your certificate" not in page
    assert "<progress" not in page and "Not started" not in page
