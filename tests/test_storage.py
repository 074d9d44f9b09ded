"""The local file store: atomic writes, limits, names, and the orphan check."""

import io
import os

import pytest

from course_engine import storage
from course_engine.storage import LocalStorage, TooLarge, discard_on_error


class ChunkedStream(io.RawIOBase):
    """A stream that yields a given number of bytes without holding them all."""

    def __init__(self, size: int):
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = min(len(buffer), self.left)
        buffer[:count] = b"x" * count
        self.left -= count
        return count


def test_save_stream_writes_under_a_random_name_with_size_and_digest(tmp_path):
    store = LocalStorage(tmp_path)
    stored = store.save_stream(io.BytesIO(b"hello"), max_bytes=10)
    assert len(stored.name) == 32 and stored.size == 5 and stored.head == b"hello"
    assert stored.sha256 == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    assert store.exists(stored.name) and list(store.iter_names()) == [stored.name]
    with store.open(stored.name) as handle:
        assert handle.read() == b"hello"
    store.delete(stored.name)
    assert not store.exists(stored.name) and os.listdir(tmp_path) == []


def test_over_the_limit_raises_and_leaves_nothing(tmp_path):
    store = LocalStorage(tmp_path)
    with pytest.raises(TooLarge, match="too big"):
        store.save_stream(ChunkedStream(300_000), max_bytes=200_000, too_large="too big")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", ["../etc/passwd", "a" * 32 + "/..", "", "ABC", "0" * 31])
def test_only_generated_names_reach_the_file_system(tmp_path, name):
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).open(name)


def test_discard_on_error_deletes_new_files(app, tmp_path):
    store = LocalStorage(tmp_path)
    with pytest.raises(RuntimeError), discard_on_error(store) as names:
        names.append(store.save_stream(io.BytesIO(b"data"), 10).name)
        raise RuntimeError("database down")
    assert list(store.iter_names()) == []


def test_check_reports_orphans_and_missing_and_fix_removes_orphans(app, tmp_path):
    store = LocalStorage(app.config["UPLOAD_FOLDER"])
    kept = store.save_stream(io.BytesIO(b"kept"), 10).name
    orphan = store.save_stream(io.BytesIO(b"orphan"), 10).name
    storage.register_owner("test", lambda: {kept, "f" * 32})
    try:
        assert storage.check(store, grace_seconds=0) == ([orphan], ["f" * 32])
        assert storage.check(store, grace_seconds=3600) == ([], ["f" * 32])
        runner = app.test_cli_runner()
        result = runner.invoke(args=["storage", "check", "--grace", "0"])
        assert result.exit_code == 1
        assert f"orphan {orphan}" in result.output and f"missing {'f' * 32}" in result.output
        result = runner.invoke(args=["storage", "check", "--fix", "--grace", "0"])
        assert f"removed {orphan}" in result.output
        assert set(store.iter_names()) == {kept}
    finally:
        storage._OWNERS.pop("test")


def test_check_covers_discussion_attachments_in_their_folder(app, world):
    from course_engine.discussions.services.posting import Upload
    from tests.discussions import factories

    factories.thread(world["learner"], upload=Upload("map.png", factories.PNG))
    attachments = LocalStorage(app.config["UPLOAD_FOLDER"]).within("discussions")
    [kept] = list(attachments.iter_names())
    orphan = attachments.save_stream(io.BytesIO(b"left behind"), 100).name
    assert storage.check(storage.get_storage(), grace_seconds=0) == ([f"discussions/{orphan}"], [])
    result = app.test_cli_runner().invoke(args=["storage", "check", "--fix", "--grace", "0"])
    assert f"removed discussions/{orphan}" in result.output
    assert list(attachments.iter_names()) == [kept]
