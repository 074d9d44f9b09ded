"""A pack's files, kept in the database as the course's assets."""

import hashlib

from sqlalchemy import select

from course_engine.courses.models import Course, PackAsset
from course_engine.extensions import db
from course_engine.packs.manifest import PackPlan
from course_engine.packs.source import content_type


def store_assets(plan: PackPlan, course: Course) -> None:
    """Keep every file of the pack; mark public those that validation found linked."""
    existing = {
        asset.path: asset
        for asset in db.session.scalars(
            select(PackAsset).where(
                PackAsset.course_id == course.id, PackAsset.pack_key == plan.key
            )
        )
    }
    files = plan.source.files()
    for path in files:
        data = plan.source.read_bytes(path)
        sha256 = hashlib.sha256(data).hexdigest()
        public = path in plan.source.public
        asset = existing.get(path)
        if asset is None:
            db.session.add(
                PackAsset(
                    course_id=course.id,
                    pack_key=plan.key,
                    path=path,
                    content=data,
                    content_type=content_type(path),
                    size=len(data),
                    sha256=sha256,
                    public=public,
                )
            )
            continue
        if asset.sha256 != sha256:
            asset.content, asset.size, asset.sha256 = data, len(data), sha256
        asset.public = public
    for path, asset in existing.items():
        if path not in files:
            db.session.delete(asset)
