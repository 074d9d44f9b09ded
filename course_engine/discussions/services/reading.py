"""Thread lists with unread counts, thread pages and search: each a fixed number of queries."""

import re
from dataclasses import dataclass, field

from sqlalchemy import and_, column, func, literal_column, or_, select, table, text
from sqlalchemy.orm import aliased

from course_engine.auth.models import User
from course_engine.discussions.models import Attachment, Forum, Post, ReadState, Thread
from course_engine.discussions.services.access import ForumReader, thread_clause
from course_engine.extensions import db
from course_engine.pagination import Pagination, paginate
from course_engine.rendering import plain_text

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 20
SEARCH_LIMIT = 50
# The SQLite full-text index of post bodies, kept by triggers (see the migration).
POSTS_FTS = table("posts_fts", column("rowid"), column("rank"))


@dataclass
class ThreadRow:
    thread: Thread
    author: str
    unread: int


def threads(viewer: ForumReader, forum: Forum, page: int = 1) -> Pagination:
    """Return a page of the forum's threads, pinned first then latest, with unread counts."""
    visible = and_(Thread.forum_id == forum.id, thread_clause(viewer))
    read_upto = func.coalesce(ReadState.last_read_post_id, 0)
    unread = (
        select(func.count(Post.id))
        .where(Post.thread_id == Thread.id, Post.id > read_upto)
        .correlate(Thread, ReadState)
        .scalar_subquery()
    )
    statement = (
        select(Thread, User.display_name, unread)
        .join(Forum, Forum.id == Thread.forum_id)
        .outerjoin(User, User.id == Thread.author_id)
        .outerjoin(
            ReadState, and_(ReadState.thread_id == Thread.id, ReadState.user_id == viewer.user_id)
        )
        .where(visible)
        .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
    )
    found = paginate(statement, page, THREADS_PER_PAGE, clamp=True)
    return found.with_items(
        [ThreadRow(thread, name or "A former member", count) for thread, name, count in found.items]
    )


@dataclass
class PostView:
    post: Post
    author: str
    parent_author: str | None
    depth: int
    attachments: list[Attachment] = field(default_factory=list)


def posts(viewer: ForumReader, thread: Thread, page: int = 1) -> Pagination:
    """Return a page of the thread: each top-level reply followed by the replies to it."""
    parent = aliased(Post)
    parent_author = aliased(User)
    found = paginate(
        select(Post, User.display_name, parent_author.display_name)
        .outerjoin(User, User.id == Post.author_id)
        .outerjoin(parent, parent.id == Post.parent_id)
        .outerjoin(parent_author, parent_author.id == parent.author_id)
        .where(Post.thread_id == thread.id)
        .order_by(func.coalesce(Post.root_id, Post.id), Post.id),
        page,
        POSTS_PER_PAGE,
        clamp=True,
    )
    views = {
        post.id: PostView(
            post,
            name or "A former member",
            parent_name if post.root_id is not None else None,
            1 if post.root_id is not None else 0,
        )
        for post, name, parent_name in found.items
    }
    for attachment in db.session.scalars(
        select(Attachment).where(Attachment.post_id.in_(list(views))).order_by(Attachment.id)
    ):
        views[attachment.post_id].attachments.append(attachment)
    return found.with_items(list(views.values()))


def page_of(post: Post) -> int:
    """Return the page of its thread that shows the post."""
    order, own = func.coalesce(Post.root_id, Post.id), post.root_id or post.id
    before = db.session.execute(
        select(func.count(Post.id)).where(
            Post.thread_id == post.thread_id,
            or_(order < own, and_(order == own, Post.id < post.id)),
        )
    ).scalar_one()
    return before // POSTS_PER_PAGE + 1


def first_post_id(thread_id: int) -> int | None:
    """Return the id of the thread's opening post."""
    return db.session.scalar(select(func.min(Post.id)).where(Post.thread_id == thread_id))


@dataclass
class SearchHit:
    post: Post
    thread: Thread
    forum_title: str
    author: str

    @property
    def excerpt(self) -> str:
        """Return the post as plain text: Markdown read, not shown as typed."""
        return plain_text(self.post.body_html)


_WORD = re.compile(r"\w+", re.UNICODE)


def search(viewer: ForumReader, query: str) -> list[SearchHit]:
    """Return the course's visible posts matching all words of the query, best first."""
    words = _WORD.findall(query or "")[:20]
    if not words:
        return []
    statement = (
        select(Post, Thread, Forum.title, User.display_name)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Forum, Forum.id == Thread.forum_id)
        .outerjoin(User, User.id == Post.author_id)
        .where(Post.course_id == viewer.course_id, ~Post.hidden, ~Post.withdrawn)
        .where(thread_clause(viewer))
        .limit(SEARCH_LIMIT)
    )
    if db.engine.dialect.name == "postgresql":
        # Written as the index ix_posts_body_search is (a constant, not a parameter),
        # so that plans PostgreSQL keeps for a prepared statement can use it too.
        vector = func.to_tsvector(literal_column("'simple'::regconfig"), Post.body)
        tsquery = func.plainto_tsquery("simple", " ".join(words))
        statement = statement.where(vector.op("@@")(tsquery)).order_by(
            func.ts_rank(vector, tsquery).desc(), Post.id.desc()
        )
    else:
        # Each word quoted, so FTS5 reads no operators from the user's text.
        match = " ".join('"' + word.replace('"', "") + '"' for word in words)
        statement = (
            statement.join(POSTS_FTS, POSTS_FTS.c.rowid == Post.id)
            .where(text("posts_fts MATCH :match").bindparams(match=match))
            .order_by(POSTS_FTS.c.rank, Post.id.desc())
        )
    return [
        SearchHit(post, thread, forum_title, name or "A former member")
        for post, thread, forum_title, name in db.session.execute(statement)
    ]
