"""Forms of the deliverables pages."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import DateField, DateTimeLocalField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from course_engine.deliverables.services import MAX_TEXT_CHARS


class SubmissionForm(FlaskForm):
    text = TextAreaField("Your text (Markdown)", validators=[Length(max=MAX_TEXT_CHARS)])
    files = MultipleFileField("Add files")
    save = SubmitField("Save draft")
    submit = SubmitField("Submit")


class GradeForm(FlaskForm):
    lock_version = HiddenField()
    score = HiddenField()
    feedback = TextAreaField("Feedback (Markdown)", validators=[Length(max=MAX_TEXT_CHARS)])
    feedback_file = FileField("Feedback file (optional)")
    save = SubmitField("Save draft")
    release = SubmitField("Save and release")


class ExtensionForm(FlaskForm):
    due = DateTimeLocalField("Due date for this learner (UTC)", validators=[Optional()])
    grant = SubmitField("Set due date")


class StartDateForm(FlaskForm):
    starts_on = DateField("The cohort starts on", validators=[Optional()])
    save = SubmitField("Save")
