"""The certificate PDF is drawn once, when the certificate is issued, and served from the store."""

import pytest
from sqlalchemy import select

from course_engine.certificates import files, pdf
from course_engine.certificates.models import Certificate
from course_engine.extensions import db
from course_engine.storage import check, get_storage
from tests.support.local_redis import job_queues, needs_redis  # noqa: F401 - a fixture

MINE = "/courses/example-course/certificate"


def _certificate() -> Certificate:
    db.session.expire_all()
    return db.session.scalars(select(Certificate)).one()


def _stored_bytes(certificate: Certificate) -> bytes:
    with files.certificate_files().open(certificate.pdf_name) as handle:
        return handle.read()


def test_issuing_stores_the_pdf_that_downloads_then_serve(world, finish, client_for, monkeypatch):
    finish(world["learner"])
    client = client_for(world["learner"])
    client.post(MINE)
    certificate = _certificate()
    assert certificate.pdf_name is not None
    stored = _stored_bytes(certificate)
    assert stored.startswith(b"%PDF")
    monkeypatch.setattr(pdf, "render", lambda *_args: pytest.fail("the PDF was drawn again"))
    assert client.get(MINE + ".pdf").data == stored
    assert check(get_storage()) == ([], [])


@pytest.mark.parametrize("lost", ["never stored", "file gone"])
def test_a_pdf_missing_from_the_store_is_drawn_and_stored_on_download(
    world, finish, client_for, lost
):
    finish(world["learner"])
    client = client_for(world["learner"])
    client.post(MINE)
    certificate = _certificate()
    if lost == "never stored":
        certificate.pdf_name = None
        db.session.commit()
    else:
        files.certificate_files().delete(certificate.pdf_name)
    response = client.get(MINE + ".pdf")
    assert response.status_code == 200
    certificate = _certificate()
    assert certificate.pdf_name is not None
    assert _stored_bytes(certificate) == response.data


@needs_redis
def test_with_redis_a_worker_draws_the_pdf(world, finish, client_for, job_queues):  # noqa: F811
    from rq import SimpleWorker

    from course_engine.jobs import rq_queue

    finish(world["learner"])
    client_for(world["learner"]).post(MINE)
    assert _certificate().pdf_name is None
    queue = rq_queue()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    assert _stored_bytes(_certificate()).startswith(b"%PDF")
