"""The `page` item kind: a Markdown lesson."""

from typing import Any, cast
from urllib.parse import urlsplit

from course_engine.courses.models import Item
from course_engine.packs.registry import ItemKind, Key
from course_engine.packs.source import MANIFEST, PackSource, Problems
from course_engine.packs.yaml_source import LineDict, YamlError, load_yaml
from course_engine.rendering import html_links, reading_minutes, sanitise_html, unsafe_markdown_html

FRONT_MATTER_KEYS = {"minutes"}
SAFE_SCHEMES = {"http", "https", "mailto"}


def split_front_matter(text: str) -> tuple[str, str]:
    """Return (front matter, body) of a Markdown text; front matter may be empty."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[4:end], text[end + 5 :]
    return "", text


def front_matter(text: str) -> dict:
    """Return the parsed front matter of a Markdown text."""
    head, _ = split_front_matter(text)
    data = load_yaml(head) if head.strip() else {}
    return data if isinstance(data, dict) else {}


def check_markdown(path: str, text: str, source: PackSource, problems: Problems) -> None:
    """Report links and images of a Markdown file that leave the pack or point to missing files."""
    check_links(path, unsafe_markdown_html(text), source, problems)


def check_links(path: str, html: str, source: PackSource, problems: Problems) -> None:
    """Report links and images that leave the pack or point to missing or server-only files.

    Every pack file linked here becomes public to the course's members.
    """
    for target in html_links(html):
        scheme = urlsplit(target).scheme.lower()
        if scheme:
            if scheme not in SAFE_SCHEMES:
                problems.add(
                    path,
                    1,
                    f"link '{target}' uses the scheme '{scheme}'; only http, https and mailto",
                )
            continue
        link_path = target.split("#", 1)[0].split("?", 1)[0]
        if not link_path:
            continue
        resolved = source.resolve(link_path, base=path)
        if resolved is None or not source.exists(resolved):
            problems.add(path, 1, f"link '{target}' points to a file that is not in the pack")
        elif refusal := source.publish(resolved):
            problems.add(path, 1, f"link '{target}': {refusal}")


def pack_path(entry: dict[str, Any], key: str, source: PackSource) -> str:
    """Return the pack path that an item's path key names."""
    # The manifest checks that every path key resolves before a kind sees the entry.
    return cast(str, source.resolve(entry[key]))


def asset_folder_url(course_slug: str, pack_key: str, path: str) -> str:
    """Return the URL of the folder holding a pack file, for resolving its relative links."""
    folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    return f"/courses/{course_slug}/assets/{pack_key}/{folder}"


# Filled while a pack validates: the lesson file of each page item, and its item id;
# and the unsanitised HTML of each lesson file, which the import then needs not render again.
PAGE_ITEMS = "page-items"
PAGE_HTML = "page-html"


def lesson_links(course_slug: str, pack_key: str, source: PackSource) -> dict[str, str]:
    """Map each lesson file's asset URL to its item's page, so links between lessons open them."""
    return {
        asset_folder_url(course_slug, pack_key, path) + path.rsplit("/", 1)[-1]: (
            f"/courses/{course_slug}/items/{item_id}"
        )
        for path, item_id in source.derived.get(PAGE_ITEMS, {}).items()
    }


class PageKind(ItemKind):
    name = "page"
    keys = {"file": Key(str, required=True, is_path=True)}
    completed_by_hand = True

    def validate(self, entry: LineDict, source: PackSource, problems: Problems) -> None:
        path = pack_path(entry, "file", source)
        try:
            text = source.read_text(path)
        except UnicodeDecodeError:
            problems.add(path, 1, "the lesson is not UTF-8 text")
            return
        try:
            meta = front_matter(text)
        except YamlError as error:
            problems.add(path, error.line + 1, f"front matter: {error.message}")
            return
        for key in sorted(set(meta) - FRONT_MATTER_KEYS):
            problems.add(path, 2, f"unknown front matter key '{key}'")
        if "minutes" in meta and not isinstance(meta["minutes"], int):
            problems.add(
                MANIFEST, entry.line_of("file"), f"{path}: 'minutes' must be a whole number"
            )
        html = unsafe_markdown_html(split_front_matter(text)[1])
        source.derived.setdefault(PAGE_HTML, {})[path] = html
        source.derived.setdefault(PAGE_ITEMS, {})[path] = entry["id"]
        check_links(path, html, source, problems)

    def load(self, item: Item, entry: dict, source: PackSource) -> None:
        path = pack_path(entry, "file", source)
        text = source.read_text(path)
        meta = front_matter(text)
        body = split_front_matter(text)[1]
        course_slug = item.module.track.course.slug
        html = source.derived.get(PAGE_HTML, {}).get(path) or unsafe_markdown_html(body)
        item.body = body
        item.body_html = str(
            sanitise_html(
                html,
                base_url=asset_folder_url(course_slug, item.pack_key, path),
                links=lesson_links(course_slug, item.pack_key, source),
            )
        )
        item.reading_minutes = meta.get("minutes") or reading_minutes(body)
