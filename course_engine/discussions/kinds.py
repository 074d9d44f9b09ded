"""The `discussion` item kind: a forum in a module, with its prompt."""

from typing import Any, cast

from sqlalchemy import select

from course_engine.courses.kinds import asset_folder_url, check_markdown
from course_engine.courses.models import Item
from course_engine.discussions.models import Forum, ForumKind, GroupMode
from course_engine.discussions.services.forums import ensure_course_forums
from course_engine.extensions import db
from course_engine.packs.registry import ItemKind, Key
from course_engine.packs.source import MANIFEST, PackSource, Problems
from course_engine.rendering import render_markdown

DEFAULT_COMPLETION_POSTS = 1


def _prompt_path(entry: dict[str, Any], source: PackSource) -> str:
    """Return the pack path of the entry's prompt."""
    # The manifest checks that every path key resolves before the kind sees the entry.
    return cast(str, source.resolve(entry["prompt"]))


class DiscussionKind(ItemKind):
    name = "discussion"
    keys = {
        "prompt": Key(str, required=True, is_path=True),
        "groups": Key(str),
        "completion_posts": Key(int),
    }
    endpoint = "discussions.item_forum"

    def validate(self, entry, source: PackSource, problems: Problems) -> None:
        groups = entry.get("groups", GroupMode.NONE.value)
        if groups not in {mode.value for mode in GroupMode}:
            problems.add(MANIFEST, entry.line_of("groups"), "'groups' must be 'separate' or 'none'")
        posts = entry.get("completion_posts", DEFAULT_COMPLETION_POSTS)
        if isinstance(posts, bool) or not isinstance(posts, int) or not 0 <= posts <= 100:
            problems.add(
                MANIFEST,
                entry.line_of("completion_posts"),
                "'completion_posts' must be a whole number from 0 to 100",
            )
        path = _prompt_path(entry, source)
        try:
            text = source.read_text(path)
        except UnicodeDecodeError:
            problems.add(path, 1, "the prompt is not UTF-8 text")
            return
        check_markdown(path, text, source, problems)

    def load(self, item: Item, entry: dict, source: PackSource) -> None:
        path = _prompt_path(entry, source)
        text = source.read_text(path)
        course_slug = item.module.track.course.slug
        item.body = text
        item.body_html = str(
            render_markdown(text, base_url=asset_folder_url(course_slug, item.pack_key, path))
        )
        forum = db.session.scalar(select(Forum).where(Forum.item_id == item.id))
        if forum is None:
            forum = Forum(course_id=item.course_id, key=f"item-{item.id}", kind=ForumKind.ITEM)
            forum.item_id = item.id
            db.session.add(forum)
        forum.title = item.title
        forum.groups = GroupMode(entry.get("groups", GroupMode.NONE.value))
        forum.completion_posts = entry.get("completion_posts", DEFAULT_COMPLETION_POSTS)
        forum.archived = False
        db.session.flush()
        ensure_course_forums(item.course_id)

    def archive(self, item: Item) -> None:
        forum = db.session.scalar(select(Forum).where(Forum.item_id == item.id))
        if forum is not None:
            forum.archived = True
