"""Reviewers' copies of submitted files lose the metadata that names the author."""

import io
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader

from course_engine.deliverables.filetypes import KNOWN
from course_engine.deliverables.metadata import CannotAnonymise, without_author_metadata
from tests.deliverables import factories

AUTHOR = "Alice Author"


def test_a_word_document_loses_creator_editor_and_company_but_stays_a_document():
    original = factories.docx(AUTHOR)
    assert AUTHOR.encode() in factories.readable_bytes(original)
    cleaned = without_author_metadata(original, KNOWN["docx"][0])
    assert AUTHOR.encode() not in factories.readable_bytes(cleaned)
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        core = archive.read("docProps/core.xml").decode()
        assert "<dc:title>Sketch</dc:title>" in core
        # Kept as written: the xsi:type value names the dcterms prefix.
        assert 'xsi:type="dcterms:W3CDTF"' in core and "xmlns:dcterms=" in core
        assert "<Application>Microsoft Office Word</Application>" in (
            archive.read("docProps/app.xml").decode()
        )


def test_an_opendocument_loses_its_creators_and_keeps_mimetype_first_and_stored():
    meta = (
        '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>'
        f"<meta:initial-creator>{AUTHOR}</meta:initial-creator><dc:creator>{AUTHOR}</dc:creator>"
        "<dc:title>Plan</dc:title></office:meta></office:document-meta>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", KNOWN["odt"][0], compress_type=zipfile.ZIP_STORED)
        archive.writestr("meta.xml", meta)
    cleaned = without_author_metadata(buffer.getvalue(), KNOWN["odt"][0])
    assert AUTHOR.encode() not in factories.readable_bytes(cleaned)
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert "<dc:title>Plan</dc:title>" in archive.read("meta.xml").decode()


def test_a_pdf_loses_its_author_and_xmp_and_keeps_its_pages():
    original = factories.one_page_pdf({"/Author": AUTHOR, "/Title": "Sketch"})
    assert AUTHOR.encode() in original
    cleaned = without_author_metadata(original, "application/pdf")
    assert AUTHOR.encode() not in cleaned
    reader = PdfReader(io.BytesIO(cleaned))
    assert len(reader.pages) == 1 and reader.metadata is None
    assert "/Metadata" not in reader.trailer["/Root"]


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_a_photo_loses_its_exif_and_keeps_its_pixels(image_format):
    exif = Image.Exif()
    exif[factories.EXIF_ARTIST] = AUTHOR
    buffer = io.BytesIO()
    Image.new("RGB", (32, 16), "teal").save(buffer, image_format, exif=exif)
    assert AUTHOR.encode() in buffer.getvalue()
    cleaned = without_author_metadata(buffer.getvalue(), f"image/{image_format.lower()}")
    assert AUTHOR.encode() not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (32, 16) and not image.getexif()


def test_a_turned_photo_is_turned_in_its_pixels_when_its_exif_goes():
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    Image.new("RGB", (32, 16), "teal").save(buffer, "JPEG", exif=exif)
    with Image.open(io.BytesIO(without_author_metadata(buffer.getvalue(), "image/jpeg"))) as image:
        assert image.size == (16, 32)


def test_plain_text_comes_back_unchanged():
    assert without_author_metadata(b"By Alice", "text/plain; charset=utf-8") == b"By Alice"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"%PDF-1.4 not really", "application/pdf"),
        (b"PK\x03\x04 not a zip", KNOWN["docx"][0]),
        (b"\xff\xd8\xff not a photo", "image/jpeg"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_not_sent_as_it_is(data, content_type):
    with pytest.raises(CannotAnonymise, match="facilitators"):
        without_author_metadata(data, content_type)


def test_an_entity_bomb_in_document_properties_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;">]><x>&b;</x>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("docProps/core.xml", bomb)
    with pytest.raises(CannotAnonymise):
        without_author_metadata(buffer.getvalue(), KNOWN["docx"][0])
