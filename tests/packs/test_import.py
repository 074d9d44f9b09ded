"""Validating, importing, re-importing and exporting packs."""

import io
import zipfile

import pytest
from sqlalchemy import func, select

from course_engine.courses.kinds import PageKind
from course_engine.courses.models import Course, Item, ItemProgress, PackAsset, Track
from course_engine.extensions import db
from course_engine.packs import services
from course_engine.packs.importer import PackInvalid, import_pack
from tests.packs.conftest import zip_folder


def _counts():
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Course, Track, Item, PackAsset, ItemProgress)
    }


def test_example_pack_imports_every_part(import_pack):
    (report,) = import_pack()
    assert len(report.added) == 7
    course = db.session.scalar(select(Course).where(Course.slug == "example-course"))
    assert course.title == "Example course"
    assert course.completion == {"tracks": ["main"]}
    kinds = dict(db.session.execute(select(Item.slug, Item.kind)).all())
    assert kinds["welcome"] == "page" and kinds["kick-off"] == "live_session"
    welcome = db.session.scalar(select(Item).where(Item.slug == "welcome"))
    assert welcome.reading_minutes == 3 and "<h2" in welcome.body_html
    assert db.session.scalar(select(func.count()).select_from(PackAsset)) > 5


BROKEN_MANIFESTS = [
    (
        ("title: Example course", "title: Example course\ncolour: blue"),
        "course.yaml:3: unknown key 'colour'",
    ),
    (("file: lessons/welcome.md", "file: lessons/missing.md"), "missing file 'lessons/missing.md'"),
    (("id: service-design", "id: welcome"), "duplicate item id 'welcome'"),
    (("kind: quiz", "kind: poll"), "unknown item kind 'poll'"),
    (("id: getting-started", "id: Getting Started"), "module id 'Getting Started' must be a slug"),
    (("language: en", "language: [en"), "course.yaml:5:"),
    (
        ("file: lessons/welcome.md", "file: ../outside.md"),
        "'../outside.md' is not a path inside the pack",
    ),
    (
        ("file: lessons/welcome.md", "file: /etc/passwd"),
        "'/etc/passwd' is not a path inside the pack",
    ),
    (("id: example-course", "id: example-course\nid: again"), "duplicate key 'id'"),
    (
        ("summary: A small", "summary: !!python/object:os.system A small"),
        "could not determine a constructor",
    ),
    (("language: en", "language: &a en\nextra: *a"), "aliases (*name) are not allowed"),
    (
        ("attempts: 2", "attempts: two"),
        "'attempts' in quiz item 'check-your-understanding' must be a int",
    ),
    (("tracks: [main]", "tracks: [nowhere]"), "completion names the unknown track 'nowhere'"),
    (
        ("id: example-course", "extends: no-such-course\nid: example-course"),
        "takes only 'extends' and 'tracks'",
    ),
]


@pytest.mark.parametrize("replace, message", BROKEN_MANIFESTS)
def test_broken_manifest_is_reported_with_file_and_line_and_changes_nothing(
    app, pack_copy, replace, message
):
    folder = pack_copy(replace=replace)
    before = _counts()
    with pytest.raises(PackInvalid) as raised:
        import_pack(folder)
    db.session.rollback()
    reported = [str(problem) for problem in raised.value.problems]
    assert any(message in line for line in reported), reported
    assert all(line.split(":")[1].isdigit() for line in reported), reported
    assert _counts() == before


def test_every_problem_is_reported_at_once(app, pack_copy):
    folder = pack_copy(
        replace=("file: lessons/welcome.md", "file: lessons/missing.md\n            colour: red")
    )
    with pytest.raises(PackInvalid) as raised:
        import_pack(folder)
    assert len(raised.value.problems.items) == 2


@pytest.mark.parametrize(
    "markdown, message",
    [
        ("[x](javascript:alert(1))", "uses the scheme 'javascript'"),
        ("[x](JaVaScRiPt:alert(1))", "uses the scheme 'javascript'"),
        ("![x](data:text/html;base64,PHNjcmlwdD4=)", "uses the scheme 'data'"),
        ("[x](missing-lesson.md)", "points to a file that is not in the pack"),
        ("[x](../../../etc/passwd)", "points to a file that is not in the pack"),
    ],
)
def test_lesson_links_must_be_safe_and_resolve(app, pack_copy, markdown, message):
    folder = pack_copy()
    (folder / "lessons" / "welcome.md").write_text(f"Hello {markdown}\n")
    with pytest.raises(PackInvalid) as raised:
        import_pack(folder)
    assert any(
        message in str(problem) and "lessons/welcome.md" in str(problem)
        for problem in raised.value.problems
    )


def test_raw_html_in_lessons_is_rendered_inert(app, pack_copy):
    folder = pack_copy()
    hostile = '<script>alert(1)</script><img src="../media/journey.png" onerror="alert(2)"><iframe src="https://x"></iframe>\n\nText'
    (folder / "lessons" / "welcome.md").write_text(hostile)
    import_pack(folder)
    html = db.session.scalar(select(Item.body_html).where(Item.slug == "welcome"))
    assert "<script" not in html and "onerror" not in html and "<iframe" not in html
    assert "Text" in html


def test_symlinks_in_a_pack_folder_are_refused(app, pack_copy, tmp_path):
    folder = pack_copy()
    (tmp_path / "secret.md").write_text("secret")
    (folder / "lessons" / "welcome.md").unlink()
    (folder / "lessons" / "welcome.md").symlink_to(tmp_path / "secret.md")
    with pytest.raises(PackInvalid) as raised:
        import_pack(folder)
    assert any(
        "symbolic links are not allowed" in str(problem) for problem in raised.value.problems
    )


def test_reimporting_an_unchanged_pack_changes_nothing(import_pack):
    import_pack()
    before = db.session.execute(select(Item.id, Item.content_hash, Item.title)).all()
    (report,) = import_pack()
    assert report.unchanged
    assert db.session.execute(select(Item.id, Item.content_hash, Item.title)).all() == before


def test_reimport_updates_by_id_and_archives_what_left_keeping_progress(
    app, import_pack, pack_copy, make_user, enrol
):
    from course_engine.courses.models import ProgressStatus
    from course_engine.courses.progress import set_status

    import_pack()
    learner = make_user()
    enrol(learner, "example-course")
    design = db.session.scalar(select(Item).where(Item.slug == "service-design"))
    set_status(learner.id, design, ProgressStatus.DONE)
    db.session.commit()

    folder = pack_copy()
    manifest = folder / "course.yaml"
    text = manifest.read_text()
    start = text.index("          - id: service-design")
    end = text.index("          - id: check-your-understanding")
    manifest.write_text(text[:start] + text[end:])
    (folder / "lessons" / "welcome.md").write_text("A new welcome.\n")
    (report,) = import_pack(folder)

    assert report.archived == ["service-design"]
    assert report.changed == ["welcome", "check-your-understanding"]  # edited, and moved up
    db.session.refresh(design)
    assert design.archived
    assert db.session.scalar(select(func.count()).select_from(ItemProgress)) == 1
    welcome = db.session.scalar(select(Item).where(Item.slug == "welcome"))
    assert "A new welcome." in welcome.body_html

    (report,) = import_pack()
    assert "service-design" in report.changed
    db.session.refresh(design)
    assert not design.archived


def test_an_id_cannot_change_kind(app, import_pack, pack_copy):
    import_pack()
    folder = pack_copy(
        replace=(
            "          - id: welcome\n            kind: page\n            title: Welcome\n"
            "            file: lessons/welcome.md",
            "          - id: welcome\n            kind: discussion\n            title: Welcome\n"
            "            prompt: lessons/welcome.md",
        )
    )
    with pytest.raises(PackInvalid) as raised:
        import_pack(folder)
    assert any("was a page; an id cannot change kind" in str(p) for p in raised.value.problems)


def test_an_exception_mid_import_leaves_the_database_as_it_was(app, import_pack, monkeypatch):
    before = _counts()
    calls = []
    original = PageKind.load

    def failing_load(self, item, entry, source):
        calls.append(item.slug)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        original(self, item, entry, source)

    monkeypatch.setattr(PageKind, "load", failing_load)
    with pytest.raises(RuntimeError):
        import_pack()
    db.session.rollback()
    assert _counts() == before
    monkeypatch.setattr(PageKind, "load", original)
    import_pack()
    assert _counts()["items"] == 7


EXTENSION = """\
extends: {course}
tracks:
  - id: extra-track
    title: Extra track
    modules:
      - id: extra-module
        title: Extra
        items:
          - {{id: extra-lesson, kind: page, title: Extra lesson, file: lessons/extra.md}}
"""


def test_extension_pack_adds_a_track_to_an_existing_course(app, import_pack, tmp_path):
    import_pack()
    extension = tmp_path / "extension"
    (extension / "lessons").mkdir(parents=True)
    (extension / "lessons" / "extra.md").write_text("An extra lesson.\n")
    (extension / "course.yaml").write_text(EXTENSION.format(course="example-course"))
    (report,) = import_pack(extension)
    assert report.added == ["extra-lesson"]
    tracks = db.session.scalars(select(Track.slug).order_by(Track.position)).all()
    assert tracks == ["main", "extra-track"]
    (report,) = import_pack()
    assert report.unchanged
    assert not db.session.scalar(select(Track.archived).where(Track.slug == "extra-track"))


def test_extension_of_a_missing_course_is_refused(app, tmp_path):
    folder = tmp_path / "ext"
    (folder / "lessons").mkdir(parents=True)
    (folder / "lessons" / "extra.md").write_text("An extra lesson.\n")
    (folder / "course.yaml").write_text(EXTENSION.format(course="nowhere"))
    with pytest.raises(PackInvalid) as raised:
        import_pack(folder)
    assert "course.yaml:1: extends the course 'nowhere', which does not exist" in [
        str(p) for p in raised.value.problems
    ]


def _snapshot():
    return db.session.execute(
        select(Item.slug, Item.kind, Item.title, Item.body_html, Item.position, Item.spec).order_by(
            Item.slug
        )
    ).all()


def test_export_then_reimport_gives_the_same_course(app, import_pack, tmp_path):
    import_pack()
    before = _snapshot()
    exported = tmp_path / "export.zip"
    exported.write_bytes(services.export_course("example-course"))
    db.session.delete(db.session.scalar(select(Course)))
    db.session.commit()
    with services.opened(exported) as root:
        services.import_folder(root)
    db.session.commit()
    assert _snapshot() == before


def test_zip_upload_of_a_pack_imports(app, pack_copy, tmp_path):
    archive = zip_folder(pack_copy(), tmp_path / "pack.zip")
    with services.opened(archive) as root:
        services.import_folder(root)
    assert db.session.scalar(select(func.count()).select_from(Item)) == 7


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "entries, message",
    [
        ({"course.yaml": b"id: x", "../evil.md": b"x"}, ".."),
        ({"course.yaml": b"id: x", "/etc/evil": b"x"}, "evil"),
        ({"course.yaml": b"id: x", "C:evil": b"x"}, "evil"),
        ({"course.yaml": b"id: x", "a\\b.md": b"x"}, "b.md"),
        ({"course.yaml": b"id: x", "bomb.txt": b"0" * 5_000_000}, "ratio"),
        ({"course.yaml": b"id: x", "inner.zip": b"PK\x03\x04rest"}, "zip"),
    ],
)
def test_hostile_zips_are_refused_before_anything_is_written(app, tmp_path, entries, message):
    archive = tmp_path / "hostile.zip"
    archive.write_bytes(_zip(entries))
    before = _counts()
    with pytest.raises(services.PackRefused) as raised, services.opened(archive):
        pass
    assert message in raised.value.message
    assert _counts() == before
    assert not (tmp_path / "evil.md").exists() and not (tmp_path.parent / "evil.md").exists()
