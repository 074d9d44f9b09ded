"""The deliverable kind: pack validation and import."""

import shutil

import pytest
from sqlalchemy import select

from course_engine.deliverables.models import Deliverable, Submission
from course_engine.extensions import db
from course_engine.packs.importer import validate_pack
from tests.conftest import EXAMPLE_PACK
from tests.deliverables import factories

SKETCH = """            submission: both
"""


def _pack_with(tmp_path, replacement: str):
    folder = tmp_path / "pack"
    shutil.copytree(EXAMPLE_PACK, folder)
    manifest = folder / "course.yaml"
    text = manifest.read_text()
    assert SKETCH in text
    manifest.write_text(text.replace(SKETCH, replacement, 1))
    return folder


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("            submission: paper\n", "'submission' must be file, text or both"),
        ("            file_types: [pdf, exe]\n", "unknown file type 'exe'"),
        ("            due: 2030-01-01\n", "give 'due_days' or 'due', not both"),
        ("            cutoff: next week\n", "'cutoff' is not an ISO date"),
        ("            max_files: 0\n", "'max_files' must be above 0"),
        (
            "            peer_review: {reviewers: robots}\n",
            "peer_review 'reviewers' must be one of",
        ),
        (
            "            peer_review: {window_days: soon}\n",
            "peer_review 'window_days' has the wrong",
        ),
        (
            "            peer_review: {weight_percent: 150}\n",
            "peer_review 'weight_percent' is out of",
        ),
        ("            peer_review: {colour: red}\n", "unknown peer_review key 'colour'"),
        (
            "            rubric:\n              - {id: a, title: A, levels: []}\n",
            "non-empty 'levels'",
        ),
        (
            "            rubric:\n"
            "              - {id: a, title: A, levels: [{points: x, label: L}]}\n",
            "needs numeric 'points'",
        ),
        (
            "            rubric:\n"
            "              - {id: a, title: A, levels: [{points: 1, label: L}]}\n"
            "              - {id: a, title: B, levels: [{points: 1, label: L}]}\n",
            "duplicate rubric criterion id 'a'",
        ),
    ],
)
def test_bad_settings_are_reported_with_their_line(app, tmp_path, extra, message):
    base = "" if extra.strip().startswith("submission") else SKETCH
    folder = _pack_with(tmp_path, base + extra)
    if "rubric:" in extra:
        text = (folder / "course.yaml").read_text()
        start = text.index("            rubric:\n              - id: clarity")
        end = text.index("          - id: needs-survey")
        (folder / "course.yaml").write_text(text[:start] + text[end:])
    _, problems = validate_pack(folder)
    messages = [str(problem) for problem in problems]
    assert any(message in text and text.startswith("course.yaml:") for text in messages), messages


def test_import_loads_settings_and_reimport_keeps_submissions(world, import_pack, tmp_path):
    course, item, deliverable = factories.deliverable()
    assert deliverable.due_days == 7 and deliverable.due_at is None
    assert deliverable.template_path == "templates/service-sketch.md"
    assert deliverable.rubric[0]["id"] == "clarity" and deliverable.blind_marking is False
    assert deliverable.file_types == ["pdf", "docx", "odt", "txt", "md"]
    factories.submit(world["learner"])
    folder = _pack_with(tmp_path, "            submission: file\n            blind_marking: true\n")
    import_pack(folder)
    db.session.expire_all()
    reloaded = db.session.scalar(select(Deliverable).where(Deliverable.item_id == item.id))
    assert reloaded.id == deliverable.id and reloaded.blind_marking is True
    assert db.session.scalar(select(Submission.submitted_count)) == 1
