"""Starting threads, replying, editing, withdrawing, attachments, completion and bad input."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from course_engine.courses.models import ItemProgress, ProgressStatus
from course_engine.discussions.models import Attachment, Forum, ForumKind, Post, Thread
from course_engine.discussions.services import posting
from course_engine.discussions.services.posting import Upload
from course_engine.errors import DomainError, NotFound
from course_engine.extensions import db
from tests.discussions import factories

D = "/courses/example-course/discussions"


def _posts() -> int:
    return db.session.scalar(select(func.count(Post.id)))


def test_learner_starts_a_thread_and_a_peer_replies_in_context(world, client_for, make_user, enrol):
    peer = make_user()
    enrol(peer, "example-course")
    forum = factories.forum()
    response = client_for(world["learner"]).post(
        f"{D}/forums/{forum.id}/new",
        data={"title": "Hello from Jamaica", "body": "I run **permits**."},
    )
    thread = db.session.scalar(select(Thread))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/threads/{thread.id}")
    first = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    assert first.body_html == "<p>I run <strong>permits</strong>.</p>"
    client = client_for(peer)
    assert (
        client.post(f"{D}/threads/{thread.id}/reply", data={"body": "Welcome!"}).status_code == 302
    )
    reply = db.session.scalar(select(Post).where(Post.body == "Welcome!"))
    response = client.post(
        f"{D}/threads/{thread.id}/reply", data={"body": "Answering you", "parent_id": reply.id}
    )
    assert response.status_code == 302
    nested = db.session.scalar(select(Post).where(Post.body == "Answering you"))
    assert (nested.parent_id, nested.root_id) == (reply.id, reply.id)
    page = client_for(world["facilitator"]).get(f"{D}/threads/{thread.id}").text
    assert page.index("Welcome!") < page.index("Answering you")
    assert f"in reply to {peer.display_name}" in page
    db.session.refresh(thread)
    assert thread.post_count == 3 and thread.last_post_id == nested.id


def test_each_posting_action_says_it_is_done(world, client_for, make_user, enrol):
    peer = make_user()
    enrol(peer, "example-course")
    forum = factories.forum()
    author = client_for(world["learner"])
    response = author.post(
        f"{D}/forums/{forum.id}/new",
        data={"title": "Permits", "body": "First"},
        follow_redirects=True,
    )
    assert "Your thread is started." in response.text
    thread = db.session.scalar(select(Thread))
    response = author.post(
        f"{D}/threads/{thread.id}/reply", data={"body": "Second"}, follow_redirects=True
    )
    assert "Your reply is posted." in response.text
    second = db.session.scalar(select(Post).where(Post.body == "Second"))
    response = author.post(
        f"{D}/posts/{second.id}/edit", data={"body": "Second, edited"}, follow_redirects=True
    )
    assert "Your changes to the post are saved." in response.text
    response = client_for(peer).post(
        f"{D}/posts/{second.id}/report", data={"reason": "Off topic"}, follow_redirects=True
    )
    assert "the facilitators have your report" in response.text
    response = author.post(f"{D}/posts/{second.id}/withdraw", follow_redirects=True)
    assert "Your post is withdrawn." in response.text


def test_a_post_completes_the_discussion_item(world):
    thread = factories.thread(world["learner"])
    forum = db.session.get(Forum, thread.forum_id)
    status = db.session.scalar(
        select(ItemProgress.status).where(
            ItemProgress.user_id == world["learner"].id, ItemProgress.item_id == forum.item_id
        )
    )
    assert forum.completion_posts == 1 and status == ProgressStatus.DONE


def test_completion_waits_for_the_required_number_of_posts(world):
    forum = factories.forum()
    forum.completion_posts = 2
    db.session.commit()
    thread = factories.thread(world["learner"])
    done = select(ItemProgress).where(ItemProgress.user_id == world["learner"].id)
    assert db.session.scalar(done) is None
    factories.reply(world["learner"], thread)
    assert db.session.scalar(done).status == ProgressStatus.DONE


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something before posting."),
        ("   \n  ", "Write something before posting."),
        ("x" * 20_001, "A post can be at most 20,000 characters long."),
    ],
)
def test_empty_or_oversized_reply_is_refused(world, client_for, body, message):
    thread = factories.thread(world["learner"])
    before = _posts()
    response = client_for(world["learner"]).post(
        f"{D}/threads/{thread.id}/reply", data={"body": body}
    )
    assert response.status_code == 400
    assert message in response.text
    assert _posts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "text"}, "Give the thread a title."),
        ({"title": "Title", "body": ""}, "Write something before posting."),
        ({"title": "T" * 201, "body": "text"}, "A title can be at most 200 characters long."),
        ({"title": "Title", "body": "y" * 20_001}, "A post can be at most 20,000 characters long."),
    ],
)
def test_bad_new_thread_is_refused(world, client_for, data, message):
    forum = factories.forum()
    response = client_for(world["learner"]).post(f"{D}/forums/{forum.id}/new", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert db.session.scalar(select(func.count(Thread.id))) == 0


def test_reply_to_a_locked_thread_is_refused(world, client_for):
    thread = factories.thread(world["learner"])
    thread.locked = True
    db.session.commit()
    before = _posts()
    response = client_for(world["learner"]).post(
        f"{D}/threads/{thread.id}/reply", data={"body": "Hi"}
    )
    assert response.status_code == 400
    assert "This thread is locked: it takes no new replies." in response.text
    assert _posts() == before


@pytest.mark.parametrize("state", ["hidden", "withdrawn"])
def test_reply_to_a_hidden_or_withdrawn_post_is_refused(world, client_for, state):
    thread = factories.thread(world["learner"])
    post = factories.reply(world["learner"], thread)
    setattr(post, state, True)
    db.session.commit()
    before = _posts()
    response = client_for(world["peer_reviewer"]).post(
        f"{D}/threads/{thread.id}/reply", data={"body": "Hi", "parent_id": post.id}
    )
    assert response.status_code == 400
    assert "You cannot reply to a post that is hidden or withdrawn." in response.text
    assert _posts() == before


def test_posting_to_another_courses_forum_is_not_found(world, client_for):
    other_forum = factories.forum("other-course")
    other_thread = factories.thread(world["other_learner"], course_slug="other-course")
    client = client_for(world["learner"])
    before = _posts()
    for path, data in [
        (f"{D}/forums/{other_forum.id}/new", {"title": "T", "body": "B"}),
        (f"{D}/threads/{other_thread.id}/reply", {"body": "B"}),
        (f"/courses/other-course/discussions/threads/{other_thread.id}/reply", {"body": "B"}),
    ]:
        assert client.post(path, data=data).status_code == 404, path
    assert _posts() == before


def test_learners_cannot_start_announcements(world, client_for):
    forum = factories.forum(kind=ForumKind.ANNOUNCEMENTS)
    client = client_for(world["learner"])
    assert client.get(f"{D}/forums/{forum.id}/new").status_code == 404
    assert (
        client.post(f"{D}/forums/{forum.id}/new", data={"title": "T", "body": "B"}).status_code
        == 404
    )
    thread = factories.thread(world["facilitator"], in_forum=forum)
    assert client.post(f"{D}/threads/{thread.id}/reply", data={"body": "B"}).status_code == 404
    assert _posts() == 1


def test_editing_someone_elses_post_is_not_found(world, client_for):
    thread = factories.thread(world["learner"], body="Original")
    post = db.session.scalar(select(Post))
    for user in ("peer_reviewer", "facilitator"):
        client = client_for(world[user])
        assert client.get(f"{D}/posts/{post.id}/edit").status_code == 404
        assert (
            client.post(f"{D}/posts/{post.id}/edit", data={"body": "Mine now"}).status_code == 404
        )
        assert client.post(f"{D}/posts/{post.id}/withdraw").status_code == 404
    with pytest.raises(NotFound):
        posting.edit_post(factories.viewer(world["peer_reviewer"]), post, "Mine now")
    db.session.refresh(post)
    assert post.body == "Original" and not post.withdrawn and thread.post_count == 1


def test_own_post_can_be_edited_within_the_window_only(world, client_for):
    factories.thread(world["learner"], body="Original")
    post = db.session.scalar(select(Post))
    client = client_for(world["learner"])
    assert (
        client.post(f"{D}/posts/{post.id}/edit", data={"body": "Fixed *typo*"}).status_code == 302
    )
    db.session.refresh(post)
    assert post.body_html == "<p>Fixed <em>typo</em></p>" and post.edited_at is not None
    post.created_at -= timedelta(minutes=31)
    db.session.commit()
    response = client.post(f"{D}/posts/{post.id}/edit", data={"body": "Too late"})
    assert response.status_code == 400
    assert "Posts can be edited only within 30 minutes of posting" in response.text
    db.session.refresh(post)
    assert post.body == "Fixed *typo*"


def test_edit_window_is_configurable(world, app):
    app.config["DISCUSSION_EDIT_MINUTES"] = 5
    factories.thread(world["learner"])
    post = db.session.scalar(select(Post))
    post.created_at -= timedelta(minutes=6)
    with pytest.raises(DomainError, match="within 5 minutes"):
        posting.edit_post(factories.viewer(world["learner"]), post, "Late")


def test_withdrawn_post_text_is_no_longer_shown(world, client_for):
    thread = factories.thread(world["learner"], body="Regrettable words")
    post = db.session.scalar(select(Post))
    client = client_for(world["learner"])
    thread_page = client.get(f"{D}/threads/{thread.id}").text
    assert f'<a href="{D}/posts/{post.id}/withdraw">Withdraw</a>' in thread_page
    confirm = client.get(f"{D}/posts/{post.id}/withdraw")
    assert "you cannot undo this" in confirm.text and "Regrettable words" in confirm.text
    db.session.refresh(post)
    assert not post.withdrawn
    assert client.post(f"{D}/posts/{post.id}/withdraw").status_code == 302
    page = client_for(world["peer_reviewer"]).get(f"{D}/threads/{thread.id}").text
    assert "Regrettable words" not in page and "The author withdrew this post." in page
    db.session.refresh(post)
    assert post.withdrawn and post.body == "Regrettable words"


def test_image_and_pdf_attachments_are_served_safely(world, client_for):
    factories.thread(world["learner"], upload=Upload("map.png", factories.PNG))
    factories.thread(world["learner"], upload=Upload("../../etc/plan.pdf", factories.PDF))
    png, pdf = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert (png.content_type, pdf.content_type, pdf.original_name) == (
        "image/png", "application/pdf", "plan.pdf"
    )  # fmt: skip
    client = client_for(world["peer_reviewer"])
    image = client.get(f"{D}/attachments/{png.id}")
    assert image.status_code == 200 and image.data == factories.PNG
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert not image.headers.get("Content-Disposition", "").startswith("attachment")
    document = client.get(f"{D}/attachments/{pdf.id}")
    assert document.headers["Content-Type"] == "application/pdf"
    assert document.headers["Content-Disposition"].startswith("attachment")
    assert client_for(world["other_learner"]).get(f"{D}/attachments/{pdf.id}").status_code == 404


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("page.pdf", b"<html><script>alert(1)</script></html>", "Attach an image"),
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "Attach an image",
        ),
        ("run.png", b"MZ\x90\x00" + b"\x00" * 200, "Attach an image"),
        ("big.png", factories.PNG + b"\x00" * 100_000, "An attachment can be at most 64 KB."),
    ],
)
def test_bad_attachments_are_refused(app, world, client_for, filename, data, message):
    # A small limit keeps the upload in memory (large parts are spooled to temporary files).
    app.config["DISCUSSION_ATTACHMENT_MAX_BYTES"] = 64 * 1024
    forum = factories.forum()
    response = client_for(world["learner"]).post(
        f"{D}/forums/{forum.id}/new",
        data={"title": "T", "body": "B", "attachment": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in response.text
    assert db.session.scalar(select(func.count(Attachment.id))) == 0
    assert _posts() == 0


def test_outline_links_to_discussions_and_the_item_opens_its_forum(world, client_for):
    client = client_for(world["learner"])
    assert f'href="{D}/"' in client.get("/courses/example-course/").text
    response = client.get("/courses/example-course/items/introductions")
    assert response.status_code == 302
    forum_page = client.get(response.headers["Location"], follow_redirects=True)
    assert "Tell your group who you are" in forum_page.text
    index = client.get(f"{D}/").text
    assert "General discussion" in index and "Announcements" in index
