import io
import stat
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest

from course_engine.packs.archive import UnsafeArchive, extract_zip, extracted, pack_root

MiB = 1024 * 1024


def make_zip(entries, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """Build a zip in memory from (name or ZipInfo, content) pairs, names taken verbatim."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression) as archive:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicates we build on purpose
        for name, content in entries:
            if isinstance(name, zipfile.ZipInfo):
                info = name
            else:
                info = zipfile.ZipInfo("placeholder")
                # Set after construction: ZipInfo() would cut a NUL out of the name.
                info.filename = name
                info.compress_type = compression
            archive.writestr(info, content)
    return buffer.getvalue()


def symlink_entry(name: str, target: bytes = b"/etc/passwd"):
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target


def patch_headers(data: bytes, *, offset_local: int, offset_central: int, value: bytes) -> bytes:
    """Overwrite a field of the first local header and the first central directory record."""
    patched = bytearray(data)
    local = patched.find(b"PK\x03\x04")
    central = patched.find(b"PK\x01\x02")
    patched[local + offset_local : local + offset_local + len(value)] = value
    patched[central + offset_central : central + offset_central + len(value)] = value
    return bytes(patched)


def mark_encrypted(data: bytes) -> bytes:
    return patch_headers(data, offset_local=6, offset_central=8, value=b"\x01\x00")


def declare_size(data: bytes, size: int) -> bytes:
    return patch_headers(data, offset_local=22, offset_central=24, value=size.to_bytes(4, "little"))


def files_under(path: Path) -> list[Path]:
    return sorted(path.rglob("*"))


@pytest.fixture
def destination(tmp_path):
    """Return a destination folder nested so that an escape would land in tmp_path."""
    return tmp_path / "extract" / "out"


def assert_refused(tmp_path, destination, data, match, **limits):
    """Assert the archive is refused with a one-line message and nothing is written."""
    with pytest.raises(UnsafeArchive, match=match) as caught:
        extract_zip(io.BytesIO(data), destination, **limits)
    assert "\n" not in str(caught.value)
    assert files_under(tmp_path) == []


NORMAL_PACK = [
    ("course.yaml", b"title: Test\n"),
    ("lessons/", b""),
    ("lessons/day-1/intro.md", b"# Intro\n\n" + b"Some words. " * 200),
    ("media/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
]

HOSTILE = {
    "parent traversal": ([("../evil", b"x")], r"'\.\./evil'.*\.\."),
    "deep traversal": ([("a/../../evil", b"x")], r"\.\."),
    "traversal in folder entry": ([("a/../../", b"")], r"\.\."),
    "absolute path": ([("/abs", b"x")], "absolute"),
    "drive letter": ([("C:evil", b"x")], "drive letter"),
    "drive letter with slash": ([("c:/windows/evil", b"x")], "drive letter"),
    "backslash": ([("a\\b", b"x")], "backslash"),
    "backslash traversal": ([("..\\..\\evil", b"x")], "backslash"),
    "empty component": ([("a//b", b"x")], "empty"),
    "dot component": ([("./a", b"x")], "'.'"),
    "NUL in name": ([("good.md\x00../../evil", b"x")], "control character"),
    "newline in name": ([("a\nb.md", b"x")], "control character"),
    "DEL in name": ([("a\x7fb.md", b"x")], "control character"),
    "right-to-left override": ([("evil\u202egpj.md", b"x")], "control character"),
    "symlink": ([symlink_entry("link")], "symbolic link"),
    "symlink folder": ([symlink_entry("lessons", b"/etc"), ("lessons/x", b"x")], "symbolic"),
    "nested zip by name": ([("inner.zip", make_zip([("a", b"a")]))], "nested zip"),
    "nested zip by name uppercase": ([("INNER.ZIP", b"not really")], "nested zip"),
    "nested zip by magic": ([("inner.bin", make_zip([("a", b"a")]))], "'inner.bin'.*nested"),
    "duplicate names": ([("a.md", b"1"), ("a.md", b"2")], "duplicates"),
    "duplicate names by case": ([("A.md", b"1"), ("a.md", b"2")], "duplicates"),
    "file where a folder goes": ([("a", b"1"), ("a/b", b"2")], "needs a folder"),
    "bomb": ([("zeros.bin", bytes(2 * MiB))], "'zeros.bin'.*compression ratio"),
    "unsafe entry after safe ones": (NORMAL_PACK + [("../evil", b"x")], r"\.\."),
}


@pytest.mark.parametrize(("entries", "match"), HOSTILE.values(), ids=HOSTILE.keys())
def test_refuses_hostile_archive_before_writing(tmp_path, destination, entries, match):
    assert_refused(tmp_path, destination, make_zip(entries), match)


def test_refuses_hostile_archive_in_existing_destination(tmp_path):
    destination = tmp_path / "out"
    destination.mkdir()

    with pytest.raises(UnsafeArchive):
        extract_zip(io.BytesIO(make_zip(NORMAL_PACK + [("/abs", b"x")])), destination)

    assert files_under(tmp_path) == [destination]


def test_refuses_too_many_entries(tmp_path, destination):
    entries = [(f"f{number}.md", b"x") for number in range(6)]

    assert_refused(tmp_path, destination, make_zip(entries), "6 entries", max_entries=5)


def test_accepts_exactly_the_entry_limit(destination):
    entries = [(f"f{number}.md", b"x") for number in range(5)]

    assert len(extract_zip(io.BytesIO(make_zip(entries)), destination, max_entries=5)) == 5


def test_refuses_total_size_over_limit(tmp_path, destination):
    entries = [(f"f{number}.bin", bytes(range(200)) * 3) for number in range(3)]

    assert_refused(tmp_path, destination, make_zip(entries), "1800 bytes", max_total_bytes=1000)


def test_refuses_stored_bomb_by_total_size(tmp_path, destination):
    data = make_zip([("zeros.bin", bytes(2 * MiB))], compression=zipfile.ZIP_STORED)

    assert_refused(tmp_path, destination, data, "more than", max_total_bytes=MiB)


def test_ratio_limit_is_configurable(destination):
    data = make_zip([("zeros.bin", bytes(64 * 1024))])

    files = extract_zip(io.BytesIO(data), destination, max_ratio=10_000)

    assert files[0].stat().st_size == 64 * 1024


def test_lets_tiny_compressible_files_through(destination):
    data = make_zip([("blank.md", b" " * 1000)])

    files = extract_zip(io.BytesIO(data), destination)

    assert files[0].read_bytes() == b" " * 1000


def test_refuses_encrypted_entry(tmp_path, destination):
    data = mark_encrypted(make_zip([("secret.md", b"hidden")]))

    assert_refused(tmp_path, destination, data, "'secret.md' is encrypted")


@pytest.mark.parametrize("size", [10, 0])
def test_refuses_entry_larger_than_declared(tmp_path, destination, size):
    data = declare_size(make_zip([("big.bin", bytes(range(256)) * 512)]), size)

    assert_refused(tmp_path, destination, data, "'big.bin'")


def test_stops_writing_when_an_entry_outgrows_its_declared_size(tmp_path, monkeypatch):
    """Simulate a lying decompressor that never ends: the byte count must stop it."""
    monkeypatch.setattr(zipfile.ZipExtFile, "read", lambda self, size=-1: b"x" * max(size, 1))
    destination = tmp_path / "out"

    with pytest.raises(UnsafeArchive, match="'big.bin' is larger than declared"):
        extract_zip(io.BytesIO(make_zip([("big.bin", bytes(range(256)) * 40)])), destination)

    assert files_under(tmp_path) == [destination]


def test_refuses_corrupt_compressed_data(tmp_path, destination):
    data = bytearray(make_zip([("a.md", bytes(range(256)) * 16)]))
    start = data.find(b"a.md") + len(b"a.md")
    data[start : start + 64] = b"\xff" * 64

    assert_refused(tmp_path, destination, bytes(data), "'a.md'")


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip at all", b"PK\x03\x04" + b"\x00" * 40, bytes(range(256)) * 8],
    ids=["empty", "text", "truncated header", "noise"],
)
def test_refuses_non_zip_bytes(tmp_path, destination, data):
    assert_refused(tmp_path, destination, data, "^not a zip file$")


def test_refuses_non_zip_file_on_disk(tmp_path):
    source = tmp_path / "pack.zip"
    source.write_text("<html>not a zip</html>")

    with pytest.raises(UnsafeArchive, match="not a zip file"):
        extract_zip(source, tmp_path / "out")

    assert files_under(tmp_path) == [source]


def test_unsafe_archive_is_a_value_error():
    assert issubclass(UnsafeArchive, ValueError)


def test_extracts_normal_pack(destination):
    files = extract_zip(io.BytesIO(make_zip(NORMAL_PACK)), destination)

    root = destination.resolve()
    assert files == [
        root / "course.yaml",
        root / "lessons" / "day-1" / "intro.md",
        root / "media" / "logo.png",
    ]
    for (name, content), path in zip(
        [entry for entry in NORMAL_PACK if not entry[0].endswith("/")], files, strict=True
    ):
        assert path.read_bytes() == content, name
    assert (root / "lessons").is_dir()


@pytest.mark.parametrize("kind", ["str", "path", "file"])
def test_accepts_path_string_or_file_object(tmp_path, kind):
    source = tmp_path / "pack.zip"
    source.write_bytes(make_zip(NORMAL_PACK))
    argument = {"str": str(source), "path": source}.get(kind)

    if argument is None:
        with source.open("rb") as stream:
            files = extract_zip(stream, tmp_path / "out")
    else:
        files = extract_zip(argument, tmp_path / "out")

    assert len(files) == 3


def test_does_not_keep_permission_bits(destination):
    info = zipfile.ZipInfo("run.sh")
    info.create_system = 3
    info.external_attr = (stat.S_IFREG | 0o4777) << 16

    [path] = extract_zip(io.BytesIO(make_zip([(info, b"echo hi")])), destination)

    assert not path.stat().st_mode & (stat.S_ISUID | stat.S_IXUSR | stat.S_IWOTH)


def test_removes_written_files_when_extraction_fails_midway(tmp_path):
    destination = tmp_path / "out"
    (destination / "media").mkdir(parents=True)
    existing = destination / "media" / "logo.png"
    existing.write_bytes(b"keep me")

    with pytest.raises(UnsafeArchive, match="could not be extracted"):
        extract_zip(io.BytesIO(make_zip(NORMAL_PACK)), destination)

    assert files_under(tmp_path) == [destination, destination / "media", existing]
    assert existing.read_bytes() == b"keep me"


def test_never_follows_a_symlink_already_in_the_destination(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    destination = tmp_path / "out"
    destination.mkdir()
    (destination / "lessons").symlink_to(outside, target_is_directory=True)

    with pytest.raises(UnsafeArchive, match="not a folder"):
        extract_zip(io.BytesIO(make_zip(NORMAL_PACK)), destination)

    assert list(outside.iterdir()) == []
    assert not (destination / "course.yaml").exists()


def test_pack_root_is_the_folder_itself(tmp_path):
    (tmp_path / "course.yaml").write_text("title: x")

    assert pack_root(tmp_path) == tmp_path


def test_pack_root_is_the_single_top_level_folder(tmp_path):
    (tmp_path / "mypack").mkdir()
    (tmp_path / "mypack" / "course.yaml").write_text("title: x")
    (tmp_path / "__MACOSX").mkdir()
    (tmp_path / ".DS_Store").write_text("")

    assert pack_root(tmp_path) == tmp_path / "mypack"


@pytest.mark.parametrize(
    "layout",
    [
        [],
        ["readme.md"],
        ["mypack/lessons/a.md"],
        ["one/course.yaml", "two/course.yaml"],
        ["mypack/course.yaml", "stray.md"],
        ["a/b/course.yaml"],
    ],
    ids=["empty", "no manifest", "folder without manifest", "two folders", "stray", "too deep"],
)
def test_pack_root_refuses_other_layouts(tmp_path, layout):
    for name in layout:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")

    with pytest.raises(UnsafeArchive, match="^no course.yaml at the top of the archive$"):
        pack_root(tmp_path)


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    """Point tempfile at an empty folder so leftovers can be seen."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.mark.parametrize("prefix", ["", "mypack/"])
def test_extracted_yields_pack_root_and_removes_folder(temp_root, prefix):
    data = make_zip([(prefix + name, content) for name, content in NORMAL_PACK])

    with extracted(io.BytesIO(data)) as root:
        assert (root / "course.yaml").read_bytes() == b"title: Test\n"
        assert root.is_relative_to(temp_root)
        if prefix:
            assert root.name == "mypack"

    assert list(temp_root.iterdir()) == []


def test_extracted_removes_folder_when_body_raises(temp_root):
    with (
        pytest.raises(RuntimeError, match="import failed"),
        extracted(io.BytesIO(make_zip(NORMAL_PACK))) as root,
    ):
        assert root.exists()
        raise RuntimeError("import failed")

    assert list(temp_root.iterdir()) == []


@pytest.mark.parametrize(
    ("entries", "limits", "match"),
    [
        ([("../evil", b"x")], {}, r"\.\."),
        ([("readme.md", b"x")], {}, "no course.yaml"),
        (NORMAL_PACK, {"max_entries": 2}, "more than 2"),
    ],
    ids=["unsafe", "no manifest", "limit passed through"],
)
def test_extracted_removes_folder_when_refused(temp_root, entries, limits, match):
    with (
        pytest.raises(UnsafeArchive, match=match),
        extracted(io.BytesIO(make_zip(entries)), **limits),
    ):
        pytest.fail("the body must not run")

    assert list(temp_root.iterdir()) == []
