import html
import re
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from course_engine.rendering import markdown_links, plain_text, reading_minutes, render_markdown

HOSTILE = {
    "script tag": "<script>alert(1)</script>",
    "script tag mixed case": "<ScRiPt>alert(1)</sCrIpT>",
    "script inside paragraph": "Hello <script>alert(1)</script> world",
    "split script tag": "<scr<script>ipt>alert(1)</script>",
    "unterminated script": "<script>alert(1)",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "iframe javascript": '<iframe src="javascript:alert(1)">',
    "svg onload": "<svg onload=alert(1)><circle r=1 /></svg>",
    "svg with script": "<svg><script>alert(1)</script></svg>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "img onerror uppercase": "<IMG SRC=x ONERROR=alert(1)>",
    "body onload": "<body onload=alert(1)>text</body>",
    "details ontoggle": "<details open ontoggle=alert(1)>x</details>",
    "markdown link javascript": "[x](javascript:alert(1))",
    "markdown link mixed case": "[x](JaVaScRiPt:alert(1))",
    "markdown link entity": "[x](&#106;avascript:alert(1))",
    "markdown link hex entity": "[x](&#x6A;avascript:alert(1))",
    "markdown link tab entity": "[x](jav&#x09;ascript:alert(1))",
    "markdown link angle brackets": "[x](<javascript:alert(1)>)",
    "markdown reference link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "markdown link data": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "markdown link data mixed case": "[x](DaTa:text/html,<script>alert(1)</script>)",
    "markdown image javascript": "![x](javascript:alert(1))",
    "markdown image data": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "raw link vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "raw link javascript entity colon": "<a href='&#x6A;avascript&colon;alert(1)'>x</a>",
    "raw link leading space": "<a href=' javascript:alert(1)'>x</a>",
    "raw link data entity colon": '<a href="data&colon;text/html,x">x</a>',
    "raw link onclick": '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "style tag": "<style>body { background: url(javascript:alert(1)) }</style>",
    "form": '<form action="javascript:alert(1)"><input onfocus=alert(1) autofocus></form>',
    "button formaction": '<button formaction="javascript:alert(1)">x</button>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="javascript:alert(1)//">',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "math": '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>',
    "nested tags": "<div><p><b onmouseover=alert(1)>x</p></div>",
    "unterminated tag": '<img src="x" onerror="alert(1)"',
    "unterminated attribute": "<a href='javascript:alert(1)>x",
    "comment trick": "<!--<img src=x onerror=alert(1)>-->",
    "noscript trick": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "table cell style": "| a |\n|---|\n| <span style='x'>1</span> |",
    "code block attribute smuggling": "```python onload=alert(1)\nx\n```",
}


ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code",
    "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th",
    "td", "sup", "sub", "del",
}  # fmt: skip


class TagCollector(HTMLParser):
    """Collect every tag of an HTML fragment, leaving text out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs), self.get_starttag_text() or ""))

    handle_startendtag = handle_starttag


def assert_inert(output: str) -> None:
    """Fail when anything executable survives in the markup, also once unescaped.

    Hostile text may survive as escaped, visible text (``&lt;img onerror=...``): that is
    inert, so the string checks look at the tags, where code could run.
    """
    assert "<script" not in output.lower()
    collector = TagCollector()
    collector.feed(output)
    collector.close()
    for tag, attributes, source in collector.tags:
        assert tag in ALLOWED_TAGS
        for text in (source.lower(), html.unescape(source).lower()):
            assert not re.search(r"\bon\w+\s*=", text)
            for forbidden in ("javascript:", "vbscript:", "data:", "style="):
                assert forbidden not in text
        for name, value in attributes.items():
            assert not name.startswith("on")
            squeezed = re.sub(r"[\x00-\x20]", "", value or "").lower()
            assert not squeezed.startswith(("javascript:", "vbscript:", "data:"))


@pytest.mark.parametrize("base_url", [None, "/courses/x/lessons/"])
@pytest.mark.parametrize("source", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_markdown_is_inert(source, base_url):
    assert_inert(render_markdown(source, base_url=base_url))


@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>x</script>",
        '<a href="JavaScript:x">a</a>',
        '<a href="&#106;avascript:x">a</a>',
        '<img src="data:image/png;base64,AA">',
        '<p onclick="x">a</p>',
        '<p style="x">a</p>',
        "<iframe></iframe>",
    ],
)
def test_the_inertness_check_itself_catches_unsafe_html(unsafe):
    with pytest.raises(AssertionError):
        assert_inert(unsafe)


@pytest.mark.parametrize(
    "base_url", ["javascript:alert(1)//", "JAVASCRIPT:alert(1)/", "data:text/html,x/"]
)
def test_hostile_base_url_never_yields_script_urls(base_url):
    output = render_markdown("[a](page.md) ![b](pic.png)", base_url=base_url)

    assert_inert(output)


@pytest.mark.parametrize("base_url", ["file:///etc/", "ftp://example.org/pub/"])
def test_base_url_with_a_forbidden_scheme_drops_relative_urls(base_url):
    output = render_markdown("[a](page.md) ![b](pic.png)", base_url=base_url)

    assert output == '<p><a rel="nofollow noopener">a</a> <img alt="b"></p>'


@pytest.mark.parametrize(
    "source",
    [
        "<iframe>fallback</iframe>",
        "<svg><text>hidden</text></svg>",
        "<math><mi>hidden</mi></math>",
        "<noscript>hidden</noscript>",
        "<textarea>hidden</textarea>",
        "<template><p>hidden</p></template>",
        "<object>hidden</object>",
    ],
)
def test_dangerous_containers_are_dropped_with_their_content(source):
    assert render_markdown(source) in ("", "<p></p>")


def test_returns_markup():
    assert isinstance(render_markdown("hi"), Markup)


def test_raw_html_text_is_kept_but_tags_are_stripped():
    output = render_markdown('<div class="x"><p onclick="alert(1)">hello</p></div>')

    assert output == "<p>hello</p>"


def test_escapes_text_that_looks_like_html_in_code():
    output = render_markdown("Use `<script>` tags carefully.")

    assert "<code>&lt;script&gt;</code>" in output


def test_renders_table_with_alignment_and_no_style():
    output = render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")

    assert "<table>" in output
    assert "<thead>" in output
    assert "<tbody>" in output
    assert '<th align="left">a</th>' in output
    assert '<th align="center">b</th>' in output
    assert '<td align="right">3</td>' in output
    assert "style" not in output


def test_drops_unknown_alignment_values():
    output = render_markdown('<table><tr><td align="javascript">x</td></tr></table>')

    assert "align" not in output


def test_headings_get_ids():
    output = render_markdown("# Getting started\n\n## Getting started\n\n### Why now?")

    assert '<h1 id="getting-started">Getting started</h1>' in output
    assert '<h2 id="getting-started_1">Getting started</h2>' in output
    assert '<h3 id="why-now">Why now?</h3>' in output
    assert "headerlink" not in output


def test_renders_fenced_code_with_language_class():
    output = render_markdown("```python\nif a < b:\n    pass\n```")

    assert '<pre><code class="language-python">if a &lt; b:\n    pass\n</code></pre>' in output


def test_drops_other_classes():
    output = render_markdown('<p class="evil">x</p> <code class="foo language-js">y</code>')

    assert 'class="evil"' not in output
    assert "foo" not in output


def test_links_get_rel_and_keep_title():
    output = render_markdown('[home](https://example.org "Home page")')

    assert output == (
        '<p><a href="https://example.org" title="Home page" rel="nofollow noopener">home</a></p>'
    )


def test_author_rel_is_replaced():
    output = render_markdown('<a href="https://example.org" rel="opener">x</a>')

    assert output == '<p><a href="https://example.org" rel="nofollow noopener">x</a></p>'


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("[a](https://example.org/x)", 'href="https://example.org/x"'),
        ("[a](http://example.org/x)", 'href="http://example.org/x"'),
        ("[a](mailto:team@example.org)", 'href="mailto:team@example.org"'),
        ("<team@example.org>", 'href="mailto:team@example.org"'),
    ],
)
def test_keeps_allowed_schemes(markdown, expected):
    assert expected in render_markdown(markdown)


@pytest.mark.parametrize("scheme", ["ftp", "file", "tel", "ws"])
def test_drops_other_schemes(scheme):
    output = render_markdown(f"[a]({scheme}://example.org/x)")

    assert "href" not in output


def test_keeps_relative_urls_without_base_url():
    output = render_markdown("[a](../b.md) ![c](pics/c.png)")

    assert 'href="../b.md"' in output
    assert 'src="pics/c.png"' in output


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("![p](../media/a.png)", 'src="/courses/x/lessons/media/a.png"'),
        ("![p](a.png)", 'src="/courses/x/lessons/day-1/a.png"'),
        ("![p](./img/a.png)", 'src="/courses/x/lessons/day-1/img/a.png"'),
        ("[n](next.md#part)", 'href="/courses/x/lessons/day-1/next.md#part"'),
        ("[s](/static/x.css)", 'href="/static/x.css"'),
        ("[t](#top)", 'href="#top"'),
        ("[e](https://example.org/a.png)", 'href="https://example.org/a.png"'),
        ('<img src="b.png" alt="b">', 'src="/courses/x/lessons/day-1/b.png"'),
    ],
)
def test_resolves_relative_urls_against_base_url(markdown, expected):
    output = render_markdown(markdown, base_url="/courses/x/lessons/day-1/")

    assert expected in output


def test_image_keeps_alt_and_title():
    output = render_markdown('![A cat](cat.png "Our cat")')

    assert output == '<p><img alt="A cat" src="cat.png" title="Our cat"></p>'


def test_sane_lists_do_not_mix_types():
    output = render_markdown("1. one\n2. two\n\n* a\n* b")

    assert "<ol>" in output
    assert "<ul>" in output


@pytest.mark.parametrize(
    ("text", "wpm", "expected"),
    [
        ("", 200, 1),
        ("word", 200, 1),
        ("word " * 200, 200, 1),
        ("word " * 201, 200, 2),
        ("word " * 1000, 200, 5),
        ("word " * 100, 50, 2),
        ("a\nb\tc  d", 1, 4),
    ],
)
def test_reading_minutes(text, wpm, expected):
    assert reading_minutes(text, words_per_minute=wpm) == expected


@pytest.mark.parametrize("wpm", [0, -5])
def test_reading_minutes_refuses_non_positive_speed(wpm):
    with pytest.raises(ValueError, match="words_per_minute"):
        reading_minutes("text", words_per_minute=wpm)


def test_markdown_links_lists_links_and_images_once_in_order():
    text = (
        'See [next](next.md) and ![diagram](../media/d.png "D").\n\n'
        "[ref link][r] and [next again](next.md)\n\n"
        "<a href='raw.html'>raw</a> <img src=\"raw.png\">\n\n"
        "[r]: https://example.org/ref\n"
    )

    assert markdown_links(text) == [
        "next.md",
        "../media/d.png",
        "https://example.org/ref",
        "raw.html",
        "raw.png",
    ]


def test_markdown_links_reports_forbidden_schemes_for_validation():
    assert markdown_links("[x](javascript:alert(1)) [y](&#106;avascript:z)") == [
        "javascript:alert(1)",
        "javascript:z",
    ]


def test_markdown_links_ignores_code_and_plain_text():
    text = "`[not](a.md)`\n\n    [indented](b.md)\n\nJust text https://example.org"

    assert markdown_links(text) == []


def test_plain_text_reads_rendered_html_as_words():
    html = str(
        render_markdown("# Title\n\nSome **bold** & <script>x</script> text.\n\n- one\n- two")
    )
    assert plain_text(html) == "Title Some bold & text. one two"
