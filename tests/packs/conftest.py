"""Builders of broken and hostile packs."""

import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_PACK


@pytest.fixture
def pack_copy(tmp_path):
    """Return a function that copies the example pack, optionally editing its manifest."""

    def copy(name: str = "pack", replace: tuple[str, str] | None = None) -> Path:
        folder = tmp_path / name
        shutil.copytree(EXAMPLE_PACK, folder)
        if replace:
            manifest = folder / "course.yaml"
            text = manifest.read_text()
            assert replace[0] in text, replace[0]
            manifest.write_text(text.replace(replace[0], replace[1], 1))
        return folder

    return copy


def zip_folder(folder: Path, target: Path) -> Path:
    """Zip a folder's files at the top of the archive."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return target
