"""The pack upload form."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SubmitField


class PackUploadForm(FlaskForm):
    archive = FileField(
        "Course pack (.zip)",
        validators=[
            FileRequired("Choose a zip file."),
            FileAllowed(["zip"], "Only .zip files are accepted."),
        ],
    )
    submit = SubmitField("Check the pack")


class PackConfirmForm(FlaskForm):
    upload = HiddenField()
    submit = SubmitField("Import now")
