"""Thread lists, unread counts, paginated thread pages with a fixed number of queries, search."""

from datetime import timedelta

import pytest
from sqlalchemy import event, insert, select, text

from course_engine.database import utcnow
from course_engine.discussions.models import Post, Thread
from course_engine.discussions.services import reading
from course_engine.extensions import db
from tests.discussions import factories

D = "/courses/example-course/discussions"

HOSTILE = [
    "<script>alert(1)</script>",
    '<iframe src="https://evil.example"></iframe>',
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    '<img src="x.png" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    '<a href="&#x6A;&#x61;vascript:alert(1)">x</a>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<p style="position:fixed;top:0">cover</p>',
    '<a href="https://ok.example" onclick="alert(1)" style="color:red">ok</a>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name="password"></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
]
FORBIDDEN = [
    "<script", "<iframe", "<svg", "onload", "onerror", "onclick", "javascript:",
    "data:text/html", "style=", "<object", "<embed", "<form", "<input", "<math",
]  # fmt: skip


def _bulk_posts(thread: Thread, author_id: int, count: int) -> None:
    """Add replies straight to the table (building 500 through the service would be slow)."""
    start = utcnow()
    db.session.add_all(
        Post(
            thread_id=thread.id,
            course_id=thread.course_id,
            author_id=author_id,
            body=f"Reply number {n}",
            body_html=f"<p>Reply number {n}</p>",
            created_at=start + timedelta(seconds=n),
        )
        for n in range(count)
    )
    db.session.flush()
    thread.post_count += count
    thread.last_post_id = db.session.scalar(select(db.func.max(Post.id)))
    db.session.commit()


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markdown_is_rendered_inert(world, client_for, payload):
    thread = factories.thread(world["learner"], body=f"Before {payload} after")
    post = db.session.scalar(select(Post))
    stored = post.body_html.lower()
    assert not [bad for bad in FORBIDDEN if bad in stored], stored
    page = client_for(world["peer_reviewer"]).get(f"{D}/threads/{thread.id}").text.lower()
    body = page.split('class="prose', 1)[1].split("</article>", 1)[0]
    assert not [bad for bad in FORBIDDEN if bad in body], body


def test_links_get_nofollow_noopener(world):
    factories.thread(world["learner"], body="[site](https://example.org)")
    html = db.session.scalar(select(Post.body_html))
    assert 'rel="nofollow noopener"' in html and 'href="https://example.org"' in html


def test_thread_page_queries_do_not_grow_with_the_thread(world, client_for, count_queries):
    small = factories.thread(world["learner"], title="Small")
    factories.reply(world["peer_reviewer"], small)
    large = factories.thread(world["learner"], title="Large")
    _bulk_posts(large, world["peer_reviewer"].id, 499)
    assert large.post_count == 500
    client = client_for(world["learner"])
    client.get(f"{D}/threads/{small.id}")  # the first request of a client loads more

    def get(path):
        response = client.get(path)
        assert response.status_code == 200
        return response

    counts = {}
    for name, path in [
        ("small", f"{D}/threads/{small.id}"),
        ("large page 1", f"{D}/threads/{large.id}"),
        ("large page 13", f"{D}/threads/{large.id}?page=13"),
        ("large last page", f"{D}/threads/{large.id}?page=25"),
    ]:
        counts[name], response = count_queries(lambda path=path: get(path))
    assert "Reply number 498" in response.text and "Reply number 478" not in response.text
    assert len(set(counts.values())) == 1, counts
    print("thread page SQL queries:", counts)


def test_thread_list_is_sorted_by_activity_paged_by_25_with_unread_counts(
    world, client_for, count_queries
):
    forum = factories.forum()
    threads = [factories.thread(world["peer_reviewer"], title=f"Topic {n:02}") for n in range(27)]
    factories.reply(world["learner"], threads[0], body="Bump")
    page = reading.threads(factories.viewer(world["learner"]), forum, 1)
    assert (page.total, page.pages, len(page.items)) == (27, 2, 25)
    assert page.items[0].thread.title == "Topic 00"
    assert page.items[1].thread.title == "Topic 26"
    unread = {row.thread.title: row.unread for row in page.items}
    # Posting marks the thread read for its author.
    assert unread["Topic 00"] == 0 and unread["Topic 26"] == 1
    second = reading.threads(factories.viewer(world["learner"]), forum, 2)
    assert [row.thread.title for row in second.items] == ["Topic 02", "Topic 01"]
    client = client_for(world["learner"])
    client.get(f"{D}/threads/{threads[26].id}")
    page = reading.threads(factories.viewer(world["learner"]), forum, 1)
    assert {row.thread.title: row.unread for row in page.items}["Topic 26"] == 0
    factories.reply(world["peer_reviewer"], threads[26])
    factories.reply(world["peer_reviewer"], threads[26])
    page = reading.threads(factories.viewer(world["learner"]), forum, 1)
    assert page.items[0].thread.title == "Topic 26" and page.items[0].unread == 2
    assert "2 new" in client.get(f"{D}/forums/{forum.id}").text
    first, _ = count_queries(lambda: client.get(f"{D}/forums/{forum.id}"))
    last, _ = count_queries(lambda: client.get(f"{D}/forums/{forum.id}?page=2"))
    assert first == last


def test_pinned_threads_come_first(world):
    forum = factories.forum()
    pinned = factories.thread(world["learner"], title="Read me first")
    factories.thread(world["learner"], title="Newer")
    pinned.pinned = True
    db.session.commit()
    page = reading.threads(factories.viewer(world["learner"]), forum, 1)
    assert page.items[0].thread.title == "Read me first"


def test_search_finds_visible_posts_of_the_course_only(world, client_for):
    factories.thread(world["learner"], title="Permits", body="Our licensing office is slow")
    hidden = factories.thread(world["learner"], title="Hidden", body="licensing secrets")
    db.session.scalar(select(Post).where(Post.thread_id == hidden.id)).hidden = True
    db.session.commit()
    factories.thread(world["other_learner"], body="licensing elsewhere", course_slug="other-course")
    hits = reading.search(factories.viewer(world["peer_reviewer"]), "LICENSING")
    assert [hit.thread.title for hit in hits] == ["Permits"]
    # FTS operators in the query are read as plain words.
    assert len(reading.search(factories.viewer(world["peer_reviewer"]), '"office* (')) == 1
    assert reading.search(factories.viewer(world["peer_reviewer"]), "^%$") == []
    page = client_for(world["peer_reviewer"]).get(f"{D}/search?q=licensing+office").text
    assert "1 post found" in page and "Permits" in page


def test_search_results_show_the_post_as_text_not_as_typed_markdown(world, client_for):
    factories.thread(
        world["learner"],
        title="Permits",
        body="## Licensing\n\nOur **licensing** office & [site](https://example.org)",
    )
    (hit,) = reading.search(factories.viewer(world["learner"]), "licensing")
    assert hit.excerpt == "Licensing Our licensing office & site"
    page = client_for(world["learner"]).get(f"{D}/search?q=licensing").text
    assert "Our licensing office &amp; site" in page
    assert "**licensing**" not in page and "## Licensing" not in page


def test_search_uses_the_full_text_index(world):
    thread = factories.thread(world["learner"], body="Our licensing office is slow")
    # A course with many posts, so that reading them all would cost more than the index.
    db.session.execute(
        insert(Post),
        [
            {
                "thread_id": thread.id,
                "course_id": thread.course_id,
                "body": f"Filler post {number}",
                "body_html": "",
                "created_at": utcnow(),
            }
            for number in range(3000)
        ],
    )
    db.session.execute(text("ANALYZE posts"))
    sent = []

    def record(_conn, _cursor, statement, parameters, *_args):
        if "to_tsvector" in statement or "posts_fts MATCH" in statement:
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert len(reading.search(factories.viewer(world["learner"]), "licensing")) == 1
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    ((statement, parameters),) = sent
    connection = db.session.connection()
    if db.engine.dialect.name == "postgresql":
        plan = connection.exec_driver_sql("EXPLAIN " + statement, parameters).scalars().all()
        assert any("ix_posts_body_search" in line for line in plan), "\n".join(plan)
    else:
        # SQLite's index is the FTS5 table; ":M" says it is read through MATCH, not scanned.
        explained = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        plan = [row[-1] for row in explained]
        assert any("posts_fts VIRTUAL TABLE INDEX 0:M" in line for line in plan), "\n".join(plan)


def test_search_follows_edits(world):
    factories.thread(world["learner"], body="First words")
    post = db.session.scalar(select(Post))
    post.body = "Second thoughts"
    db.session.commit()
    viewer = factories.viewer(world["learner"])
    assert reading.search(viewer, "first") == []
    assert len(reading.search(viewer, "thoughts")) == 1
