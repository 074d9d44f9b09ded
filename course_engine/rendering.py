"""The one safe Markdown-to-HTML function of the project, and helpers about Markdown text."""

from __future__ import annotations

import html
import math
import re
import threading
from collections.abc import Callable, Mapping
from html.parser import HTMLParser
from urllib.parse import urljoin

import markdown
import nh3
from markupsafe import Markup

__all__ = ["markdown_links", "plain_text", "reading_minutes", "render_markdown"]

_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "toc"]
# Alignment as an attribute, so the sanitiser can keep it while dropping every style.
_EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}, "toc": {"permalink": False}}

_ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i",
    "code", "pre", "blockquote", "ul", "ol", "li", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "del",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_ALLOWED_ATTRIBUTES = {
    **{heading: {"id"} for heading in _HEADINGS},
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
}
_ALIGNMENTS = {"left", "center", "right"}
_CELL_ALIGN = {"th": {"align": _ALIGNMENTS}, "td": {"align": _ALIGNMENTS}}
# Tags whose content is dropped along with the tag, not kept as text.
_DROP_WITH_CONTENT = {
    "script", "style", "iframe", "svg", "math", "object", "embed", "noscript",
    "template", "textarea", "title", "xmp", "noembed", "noframes",
}  # fmt: skip
_URL_SCHEMES = {"http", "https", "mailto"}
_LINK_REL = "nofollow noopener"

_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+-]{1,40}")
# Browsers ignore these characters inside a URL, so they must not hide a scheme.
_IGNORED_URL_CHARS = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


_converters = threading.local()


def _markdown_to_html(text: str) -> str:
    """Convert Markdown with this thread's converter, reset for each document.

    Building a converter costs more than converting a lesson, and converters
    keep per-document state, so each thread keeps one and resets it.
    """
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
        _converters.markdown = converter
    try:
        return converter.convert(text)
    finally:
        converter.reset()


def _has_safe_scheme(url: str) -> bool:
    """Return whether the URL is relative or uses an allowed scheme."""
    match = _SCHEME.match(_IGNORED_URL_CHARS.sub("", url))
    return match is None or match.group(1).lower() in _URL_SCHEMES


def _keep_language_class(element: str, attribute: str, value: str) -> str | None:
    """Keep only a `language-*` class on code blocks; pass other attributes through."""
    if element == "code" and attribute == "class":
        languages = [name for name in value.split() if _LANGUAGE_CLASS.fullmatch(name)]
        return languages[0] if languages else None
    return value


def _relative_url_resolver(
    base_url: str | None, links: Mapping[str, str] | None = None
) -> Callable[[str], str | None]:
    """Return the nh3 callback that resolves relative URLs against `base_url`.

    A resolved URL found in `links` (fragment aside) becomes the URL it maps to.
    """

    def resolve(url: str) -> str | None:
        # nh3 reports exceptions raised here as unraisable, so never raise.
        try:
            if base_url is None or url.startswith(("/", "#")):
                resolved = url
            else:
                resolved = urljoin(base_url, url)
            if links:
                target, hash_sign, fragment = resolved.partition("#")
                if target in links:
                    resolved = links[target] + hash_sign + fragment
            return resolved if _has_safe_scheme(resolved) else None
        except Exception:  # an unresolvable URL is simply dropped
            return None

    return resolve


def render_markdown(text: str, *, base_url: str | None = None) -> Markup:
    """Render Markdown to sanitised HTML, resolving relative URLs against `base_url`."""
    return sanitise_html(_markdown_to_html(text), base_url=base_url)


def unsafe_markdown_html(text: str) -> str:
    """Return Markdown rendered but NOT sanitised: only for sanitise_html or html_links."""
    return _markdown_to_html(text)


def sanitise_html(
    html: str, *, base_url: str | None = None, links: Mapping[str, str] | None = None
) -> Markup:
    """Sanitise rendered HTML, resolving relative URLs against `base_url`, then through `links`."""
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=_ALLOWED_ATTRIBUTES,
        tag_attribute_values=_CELL_ALIGN,
        attribute_filter=_keep_language_class,
        url_schemes=_URL_SCHEMES,
        url_relative=_relative_url_resolver(base_url, links),
        link_rel=_LINK_REL,
        strip_comments=True,
    )
    return Markup(cleaned)


def plain_text(safe_html: str) -> str:
    """Return the text of rendered HTML, tags dropped and spaces joined, for excerpts."""
    # Block tags become spaces first, so "<p>a</p><p>b</p>" reads "a b", not "ab".
    spaced = re.sub(r"<(?:/?(?:p|li|h[1-6]|tr|td|th|blockquote|pre)|br|hr)\b[^>]*>", " ", safe_html)
    text = html.unescape(nh3.clean(spaced, tags=set()))
    return " ".join(text.split())


def reading_minutes(text: str, words_per_minute: int = 200) -> int:
    """Return the whole minutes needed to read `text`, at least one."""
    if words_per_minute <= 0:
        raise ValueError("words_per_minute must be positive")
    return max(1, math.ceil(len(text.split()) / words_per_minute))


class _TargetCollector(HTMLParser):
    """Collect `href` of links and `src` of images, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "img": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value is not None and value.strip():
                self.targets.append(value.strip())

    handle_startendtag = handle_starttag


def markdown_links(text: str) -> list[str]:
    """Return the link and image targets of a Markdown text, first appearance first, once each.

    Targets come from the unsanitised rendering, so raw-HTML links and forbidden schemes are
    reported too: validation can then refuse them instead of silently losing them.
    """
    return html_links(_markdown_to_html(text))


def html_links(html: str) -> list[str]:
    """Return the link and image targets of rendered HTML, first appearance first, once each."""
    collector = _TargetCollector()
    collector.feed(html)
    collector.close()
    return list(dict.fromkeys(collector.targets))
