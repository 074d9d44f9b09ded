"""The file store's contract, on the local folder and on a real S3 server."""

import hashlib
import io

import pytest

from course_engine.object_storage import PART_BYTES, S3Storage, client_from_url
from course_engine.storage import LocalStorage, TooLarge


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "files")
    server = request.getfixturevalue("s3_server")
    request.getfixturevalue("s3_credentials")
    return S3Storage(*client_from_url(server.storage_url()))


def _read(store, name) -> bytes:
    with store.open(name) as handle:
        return handle.read()


def test_a_saved_file_reads_back_and_is_listed(store):
    stored = store.save_stream(io.BytesIO(b"plan of action"), max_bytes=1000)
    assert _read(store, stored.name) == b"plan of action"
    assert stored.size == store.size(stored.name) == 14
    assert stored.sha256 == hashlib.sha256(b"plan of action").hexdigest()
    assert list(store.iter_names()) == [stored.name]
    assert store.exists(stored.name)
    assert 0 <= store.age_seconds(stored.name) < 600


def test_a_deleted_file_is_gone_and_deleting_again_is_no_error(store):
    stored = store.save_stream(io.BytesIO(b"x"), max_bytes=10)
    store.delete(stored.name)
    store.delete(stored.name)
    assert not store.exists(stored.name)
    assert list(store.iter_names()) == []


def test_a_file_over_the_limit_is_refused_and_leaves_nothing(store):
    with pytest.raises(TooLarge):
        store.save_stream(io.BytesIO(b"y" * (PART_BYTES + 10)), max_bytes=PART_BYTES)
    assert list(store.iter_names()) == []


def test_a_file_of_several_parts_streams_through_whole(store):
    data = bytes(range(256)) * ((2 * PART_BYTES + 12345) // 256)
    stored = store.save_stream(io.BytesIO(data), max_bytes=len(data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert hashlib.sha256(_read(store, stored.name)).hexdigest() == stored.sha256


def test_a_sub_folder_is_a_store_of_its_own(store):
    inner = store.within("discussions")
    stored = inner.save_stream(io.BytesIO(b"attachment"), max_bytes=100)
    assert list(inner.iter_names()) == [stored.name]
    assert list(store.iter_names()) == []


def test_restore_keeps_the_name_and_refuses_one_taken(store):
    stored = store.save_stream(io.BytesIO(b"original"), max_bytes=100)
    copy = store.within("copy")
    copy.restore(stored.name, io.BytesIO(b"original"))
    assert _read(copy, stored.name) == b"original"
    with pytest.raises(FileExistsError):
        copy.restore(stored.name, io.BytesIO(b"other"))


def test_names_that_are_not_the_store_s_are_refused(store):
    with pytest.raises(ValueError, match="not a stored file name"):
        store.open("../course_engine.db")


def test_the_store_is_ready(store):
    assert store.is_ready()


def test_a_missing_bucket_is_not_ready(s3_server, s3_credentials):
    client, _, _ = client_from_url(f"s3://no-such-bucket?endpoint={s3_server.endpoint}")
    assert not S3Storage(client, "no-such-bucket").is_ready()


@pytest.mark.parametrize("url", ["s3://", "https://bucket", "bucket/prefix"])
def test_a_storage_url_that_is_not_s3_is_refused(url):
    with pytest.raises(ValueError, match="STORAGE_URL must look like"):
        client_from_url(url)
