"""Certificate PDFs: drawn once, by a job when the certificate is issued, then served stored.

What a certificate says is fixed at issue, so its PDF never changes and is
kept in the certificates folder of the file store. One missing (issued
before PDFs were stored, or lost) is drawn and stored on its first download.
"""

import io

from sqlalchemy import select, update

from course_engine.certificates import pdf
from course_engine.certificates.models import Certificate
from course_engine.database import rows_changed
from course_engine.extensions import db
from course_engine.storage import Storage, get_storage
from course_engine.urls import absolute_url

FOLDER = "certificates"


def certificate_files() -> Storage:
    """Return the store of certificate PDFs."""
    return get_storage().within(FOLDER)


def verify_url(code: str) -> str:
    """Return the public page that checks a certificate's code."""
    return absolute_url("certificates.verify_code", code=code)


def _stored(certificate: Certificate) -> bytes | None:
    store = certificate_files()
    if certificate.pdf_name is None or not store.exists(certificate.pdf_name):
        return None
    with store.open(certificate.pdf_name) as handle:
        return handle.read()


def _draw_and_store(certificate: Certificate) -> bytes:
    data = pdf.render(certificate, verify_url(certificate.code))
    store = certificate_files()
    name = store.save_stream(io.BytesIO(data), max_bytes=len(data)).name
    # Only one of two renderings at once is recorded; the other's file is removed.
    recorded = rows_changed(
        update(Certificate)
        .where(
            Certificate.id == certificate.id,
            Certificate.pdf_name.is_not_distinct_from(certificate.pdf_name),
        )
        .values(pdf_name=name)
        .execution_options(synchronize_session=False)
    )
    if recorded:
        certificate.pdf_name = name
    else:
        store.delete(name)
    return data


def certificate_pdf(certificate: Certificate) -> bytes:
    """Return the certificate's PDF: the stored file, or drawn and stored now. Flush only."""
    return _stored(certificate) or _draw_and_store(certificate)


def store_pdf(certificate_id: int) -> None:
    """Draw and store a certificate's PDF unless it is stored: the job run at issue."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is not None and _stored(certificate) is None:
        _draw_and_store(certificate)


def stored_names() -> set[str]:
    """Return the stored name of every certificate PDF the database refers to."""
    return set(
        db.session.scalars(select(Certificate.pdf_name).where(Certificate.pdf_name.is_not(None)))
    )
