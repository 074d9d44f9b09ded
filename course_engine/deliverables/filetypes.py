"""Which file types a deliverable accepts, checked from the content and not the name alone."""

import codecs
import re
import unicodedata
from typing import BinaryIO

import filetype

# extension: (type served on download, MIME that sniffing must find; None for plain text)
KNOWN = {
    "pdf": ("application/pdf", "application/pdf"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text"),
    "ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    "odp": (
        "application/vnd.oasis.opendocument.presentation",
        "application/vnd.oasis.opendocument.presentation",
    ),
    "png": ("image/png", "image/png"),
    "jpg": ("image/jpeg", "image/jpeg"),
    "jpeg": ("image/jpeg", "image/jpeg"),
    "txt": ("text/plain; charset=utf-8", None),
    "md": ("text/markdown; charset=utf-8", None),
    "csv": ("text/csv; charset=utf-8", None),
}
DEFAULT_TYPES = ["pdf", "docx", "odt", "txt", "md"]
# Text that a browser could take for markup if it ever sniffed it.
_MARKUP_START = re.compile(rb"^\s*<\s*(!doctype|html|svg|script|\?xml|head|body|iframe)", re.I)
_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


class FileRefused(ValueError):
    """The file's content does not match an accepted type; the message says why."""


def extension(name: str) -> str:
    """Return the lower-case extension of a file name, or ''."""
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def accept_attribute(allowed: list[str]) -> str:
    """Return a file input's accept= value: each allowed extension and its MIME type."""
    accepted: list[str] = []
    for ext in allowed:
        if ext in KNOWN:
            accepted += [f".{ext}", KNOWN[ext][0].split(";")[0]]
    return ",".join(dict.fromkeys(accepted))


def display_name(raw: str | None) -> str:
    """Return a file name safe to show and to offer as a download name."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        char
        for char in unicodedata.normalize("NFC", name)
        if unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip(" .")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 110 - len(ext)] + dot + ext) if dot and len(ext) <= 8 else name[:120]
    return name or "file"


def _is_utf8_text(stream: BinaryIO) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(64 * 1024):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def check(name: str, head: bytes, reopen, allowed: list[str]) -> str:
    """Return the content type to record for a file, or raise FileRefused.

    `head` is the file's first bytes; `reopen()` opens the whole file again,
    for text types, which must decode as UTF-8 from end to end.
    """
    ext = extension(name)
    if ext not in allowed or ext not in KNOWN:
        accepted = ", ".join(allowed)
        raise FileRefused(
            f"“{name}”: this type of file is not accepted here (accepted: {accepted})."
        )
    served, expected = KNOWN[ext]
    sniffed = filetype.guess(head)
    if expected is not None:
        if sniffed is None or sniffed.mime != expected:
            raise FileRefused(f"“{name}” is not a real .{ext} file.")
        return served
    if sniffed is not None or _MARKUP_START.match(head.removeprefix(codecs.BOM_UTF8)):
        raise FileRefused(f"“{name}” is not plain text.")
    with reopen() as stream:
        if not _is_utf8_text(stream):
            raise FileRefused(f"“{name}” is not UTF-8 text.")
    return served
