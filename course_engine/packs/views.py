"""Admin pages to upload a pack, preview what it changes, and import it."""

import re
import secrets
from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from course_engine.courses.models import Course
from course_engine.downloads import file_response
from course_engine.errors import DomainError
from course_engine.extensions import db
from course_engine.packs import services
from course_engine.packs.forms import PackConfirmForm, PackUploadForm
from course_engine.packs.importer import ImportReport, PackInvalid
from course_engine.permissions import admin_required

bp = Blueprint("packs", __name__, url_prefix="/admin/packs")

UPLOAD_NAME = re.compile(r"^[A-Za-z0-9_-]{20,60}$")


def _upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "pack_uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _uploaded(name: str | None) -> Path:
    path = _upload_folder() / f"{name}.zip"
    if not UPLOAD_NAME.match(name or "") or not path.is_file():
        raise DomainError("This upload has expired. Please upload the pack again.")
    return path


def _dry_run(path: Path) -> tuple[list[ImportReport], list[str]]:
    """Return (reports, problems) for an uploaded pack without changing anything."""
    try:
        with services.opened(path) as root:
            reports = services.import_folder(root)
        return reports, []
    except PackInvalid as error:
        return [], [str(problem) for problem in error.problems]
    except DomainError as error:
        return [], [error.message]
    finally:
        db.session.rollback()


@bp.route("/", methods=["GET", "POST"])
@login_required
@admin_required
def upload() -> ResponseReturnValue:
    """Upload a pack zip, then show its problems or a preview of the import."""
    form = PackUploadForm()
    if form.validate_on_submit():
        name = secrets.token_urlsafe(24)
        path = _upload_folder() / f"{name}.zip"
        form.archive.data.save(path)
        reports, problems = _dry_run(path)
        if problems:
            path.unlink(missing_ok=True)
        confirm = PackConfirmForm(upload=name)
        return render_template(
            "packs/preview.html", reports=reports, problems=problems, confirm=confirm
        )
    courses = db.session.scalars(db.select(Course).order_by(Course.title)).all()
    return render_template("packs/upload.html", form=form, courses=courses)


@bp.post("/import")
@login_required
@admin_required
def confirm_import() -> ResponseReturnValue:
    """Import a pack that was uploaded and previewed."""
    form = PackConfirmForm()
    if not form.validate_on_submit():
        flash("The form expired. Please upload the pack again.", "danger")
        return redirect(url_for("packs.upload"))
    path = _uploaded(form.upload.data)
    try:
        with services.opened(path) as root:
            reports = services.import_folder(root)
    except PackInvalid as error:
        db.session.rollback()
        return render_template(
            "packs/preview.html",
            reports=[],
            problems=[str(p) for p in error.problems],
            confirm=None,
        )
    db.session.commit()
    path.unlink(missing_ok=True)
    for report in reports:
        flash(report.lines()[-1], "success")
    return redirect(url_for("packs.upload"))


@bp.get("/export/<course_slug>.zip")
@login_required
@admin_required
def export(course_slug: str) -> ResponseReturnValue:
    """Download a course as a pack zip."""
    data = services.export_course(course_slug)
    return file_response(data, f"{course_slug}.zip", "application/zip")
