"""Builders of pack archives."""

import zipfile
from pathlib import Path


def zip_folder(folder: Path, target: Path) -> Path:
    """Zip a folder's files at the top of the archive."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return target
