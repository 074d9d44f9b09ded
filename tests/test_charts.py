"""The shared SVG chart macros: named for screen readers, no script or style."""

from flask import render_template_string

CHART = (
    '{% from "_charts.html" import bar_chart %}{{ bar_chart("c", "Answers", rows, 4, **extra) }}'
)


def _render(app, rows, **extra):
    with app.test_request_context("/"):
        return render_template_string(CHART, rows=rows, extra=extra)


def test_a_bar_chart_names_itself_by_title_and_description(app):
    svg = _render(
        app, [("Yes", 4, "4", "#0d6efd"), ("No", 2, "2", "#0d6efd")], description="Counts"
    )
    assert 'role="img" aria-labelledby="c-title c-desc"' in svg
    assert '<title id="c-title">Answers</title>' in svg and '<desc id="c-desc">Counts</desc>' in svg
    assert svg.count('width="300.0" fill="#0d6efd"') == 1 and 'width="150.0"' in svg
    assert "style=" not in svg and "<script" not in svg


def test_without_a_description_the_title_alone_names_the_chart(app):
    svg = _render(app, [("Q1", None, "", "#0a58ca")], track=True)
    assert 'aria-labelledby="c-title"' in svg and "<desc" not in svg
    assert 'fill="#e9ecef"' in svg and 'fill="#0a58ca"' not in svg
