"""Copies of submitted files without the metadata that names their author.

Peer reviewers who must not know an author get such a copy, made when they
download; the stored file stays untouched for staff. What is removed:
Office and OpenDocument document properties (creator, last editor, company,
manager, custom properties), a PDF's document information and XMP metadata,
and a photo's EXIF and XMP. Names written in the text itself stay.

A file that cannot be read is never sent as it is: it may still carry a name.
"""

import io
import re
import threading
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from flask import Response
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from course_engine.deliverables.filetypes import KNOWN
from course_engine.downloads import file_response
from course_engine.errors import DomainError
from course_engine.storage import get_storage

CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
ODF_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"

# Zip member: the elements that name people, removed wherever they appear in it.
OOXML_PARTS = {
    "docprops/core.xml": {f"{{{DC}}}creator", f"{{{CP}}}lastModifiedBy"},
    "docprops/app.xml": {f"{{{EXTENDED}}}Company", f"{{{EXTENDED}}}Manager"},
    "docprops/custom.xml": {f"{{{CUSTOM}}}property"},
}
ODF_PARTS = {
    "meta.xml": {
        f"{{{DC}}}creator",
        f"{{{ODF_META}}}initial-creator",
        f"{{{ODF_META}}}printed-by",
        f"{{{ODF_META}}}user-defined",
    },
}
MAX_PART_BYTES = 1024 * 1024
# ElementTree makes up ns0, ns1, ... itself and refuses to be given them.
GENERATED_PREFIX = re.compile(r"ns\d+")
_PREFIXES_LOCK = threading.Lock()
# A document's parts are read whole, so their declared sizes (which zipfile
# enforces while reading) must stay within what a worker can hold.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_IMAGE_PIXELS = 50_000_000
JPEG_UNROTATED = 1
EXIF_ORIENTATION = 0x0112


class CannotAnonymise(DomainError):
    """The file could not be read to remove its metadata, so it is not sent."""

    status_code = 422


def _refused() -> CannotAnonymise:
    return CannotAnonymise(
        "This file cannot be shown to reviewers without the author's details: "
        "it could not be read. Please tell the course's facilitators."
    )


def _without_elements(data: bytes, names: set[str]) -> bytes:
    """Return an XML part without the named elements, keeping its namespace prefixes."""
    if len(data) > MAX_PART_BYTES:
        raise _refused()
    prefixes = dict(
        event[1]
        for event in SafeET.iterparse(io.BytesIO(data), events=("start-ns",))
        if event[0] == "start-ns"
    )
    root = SafeET.fromstring(data)
    for parent in root.iter():
        for child in [child for child in parent if child.tag in names]:
            parent.remove(child)
    # Values such as xsi:type="dcterms:W3CDTF" name prefixes, so each must come out unchanged.
    # ElementTree keeps prefixes in one map for the process: hold it while writing.
    with _PREFIXES_LOCK:
        for prefix, uri in prefixes.items():
            if prefix and not GENERATED_PREFIX.fullmatch(prefix):
                ET.register_namespace(prefix, uri)
        return ET.tostring(
            root, encoding="UTF-8", xml_declaration=True, default_namespace=prefixes.get("") or None
        )


def _zip_without(parts: dict[str, set[str]]) -> Callable[[bytes], bytes]:
    """Return a cleaner for zip documents that rewrites the named parts."""

    def clean(data: bytes) -> bytes:
        output = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(data)) as source,
            zipfile.ZipFile(output, "w") as target,
        ):
            members = source.infolist()
            if len(members) > MAX_MEMBERS or sum(i.file_size for i in members) > MAX_UNZIPPED_BYTES:
                raise _refused()
            # Same order and compression: ODF wants its `mimetype` first and stored.
            for info in members:
                content = source.read(info)
                # Part names are case-insensitive in Office documents.
                names = parts.get(info.filename.lower())
                if names is not None:
                    content = _without_elements(content, names)
                target.writestr(info, content, compress_type=info.compress_type)
        return output.getvalue()

    return clean


def _pdf(data: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise _refused()
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None
    if "/Metadata" in writer.root_object:
        del writer.root_object["/Metadata"]
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _image(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise _refused()
        image_format = image.format
        options = {"icc_profile": image.info["icc_profile"]} if "icc_profile" in image.info else {}
        if image_format == "JPEG":
            turned = image.getexif().get(EXIF_ORIENTATION, JPEG_UNROTATED) != JPEG_UNROTATED
            # Without EXIF a turned photo would show on its side: turn the pixels instead.
            source = ImageOps.exif_transpose(image) if turned else image
            options["quality"] = 92 if turned else "keep"
        else:
            source = image
        output = io.BytesIO()
        source.save(output, format=image_format, **options)
    return output.getvalue()


# Content type served for each accepted extension: how its copy is cleaned.
CLEANERS: dict[str, Callable[[bytes], bytes]] = {
    KNOWN["docx"][0]: _zip_without(OOXML_PARTS),
    KNOWN["xlsx"][0]: _zip_without(OOXML_PARTS),
    KNOWN["pptx"][0]: _zip_without(OOXML_PARTS),
    KNOWN["odt"][0]: _zip_without(ODF_PARTS),
    KNOWN["ods"][0]: _zip_without(ODF_PARTS),
    KNOWN["odp"][0]: _zip_without(ODF_PARTS),
    KNOWN["pdf"][0]: _pdf,
    KNOWN["png"][0]: _image,
    KNOWN["jpg"][0]: _image,
}


def without_author_metadata(data: bytes, content_type: str) -> bytes:
    """Return a copy of a submitted file without the metadata that names its author.

    Plain text has no metadata and comes back as it is.
    """
    clean = CLEANERS.get(content_type)
    if clean is None:
        return data
    try:
        return clean(data)
    except CannotAnonymise:
        raise
    except (
        zipfile.BadZipFile,
        ET.ParseError,
        DefusedXmlException,
        PyPdfError,
        OSError,
        ValueError,
        KeyError,
        Image.DecompressionBombError,
    ):
        raise _refused() from None


def anonymous_download(storage_name: str, display_name: str, content_type: str) -> Response:
    """Send a copy of a stored file without the metadata that names its author."""
    with get_storage().open(storage_name) as handle:
        data = without_author_metadata(handle.read(), content_type)
    return file_response(data, display_name, content_type)
