"""Builders of deliverable data for tests."""

import io
import zipfile

from PIL import Image
from pypdf import PdfWriter

from course_engine.courses.outline import find_item
from course_engine.deliverables import drafts, grading, services
from course_engine.deliverables.services import Upload
from course_engine.extensions import db
from course_engine.storage import get_storage

EXIF_ARTIST = 0x013B


def one_page_pdf(metadata: dict[str, str] | None = None) -> bytes:
    """Return a real one-page PDF (reviewers' copies are rewritten, so it must parse)."""
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    if metadata:
        writer.add_metadata(metadata)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# An author whose every identifying detail a blind-marking test looks for.
AUTHOR = {
    "email": "ana.author@example.gov",
    "name": "Ana Author",
    "country": "Suriname",
    "organisation": "Permit Office",
}
GROUP = "Blue Group"
PDF = one_page_pdf()


def deliverable(course_slug="example-course", item_slug="service-sketch"):
    """Return (course, item, deliverable) of an imported deliverable item."""
    item = find_item(course_slug, item_slug)
    return item.module.track.course, item, services.deliverable_for_item(item)


def submit(user, *, text="My sketch", files=(("sketch.pdf", PDF),), item_slug="service-sketch"):
    """Save a draft with text and files for the user and submit it; commit."""
    course, _, deliv = deliverable(item_slug=item_slug)
    storage = get_storage()
    names: list[str] = []
    uploads = [Upload(io.BytesIO(data), name) for name, data in files]
    drafts.save_draft(
        deliv, course, user.id, text=text, uploads=uploads, storage=storage, new_names=names
    )
    version = drafts.submit(deliv, course, user.id)
    db.session.commit()
    return version


def graded(user, *, release=True, feedback_file=None):
    """Submit for the user, grade every criterion at its top level, and commit."""
    version = submit(user)
    _, _, deliv = deliverable()
    submission = version.submission
    levels = {c["id"]: str(c["levels"][-1]["points"]) for c in deliv.rubric}
    upload = Upload(io.BytesIO(feedback_file[1]), feedback_file[0]) if feedback_file else None
    grading.save_assessment(
        deliv, submission, user.id, lock_version=None, levels=levels, score=None,
        feedback="Good **work**", release=release, feedback_upload=upload,
        storage=get_storage(), new_names=[],
    )  # fmt: skip
    db.session.commit()
    return submission


CORE_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties
 xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Sketch</dc:title>
<dc:creator>{name}</dc:creator><cp:lastModifiedBy>{name}</cp:lastModifiedBy>
<dcterms:created xsi:type="dcterms:W3CDTF">2026-12-01T09:00:00Z</dcterms:created>
</cp:coreProperties>"""
APP_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">
<Application>Microsoft Office Word</Application><Company>{name} Consulting</Company></Properties>"""
CONTENT_TYPES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""


def docx(author: str) -> bytes:
    """Return a small Word document whose properties name its author and their company."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("docProps/core.xml", CORE_XML.format(name=author))
        archive.writestr("docProps/app.xml", APP_XML.format(name=author))
    return buffer.getvalue()


def jpeg(artist: str) -> bytes:
    """Return a small photo whose EXIF names its artist."""
    exif = Image.Exif()
    exif[EXIF_ARTIST] = artist
    buffer = io.BytesIO()
    Image.new("RGB", (32, 16), "teal").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def readable_bytes(data: bytes) -> bytes:
    """Return a file's bytes as a reader finds them: a zip document's parts unpacked."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"\n".join(archive.read(info) for info in archive.infolist())
