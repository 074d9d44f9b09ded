"""Forms of the deliverables pages."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import FileInput

from course_engine.deliverables import filetypes
from course_engine.deliverables.models import Deliverable
from course_engine.deliverables.services import MAX_TEXT_CHARS


class SubmissionForm(FlaskForm):
    # Twelve rows hold a 500-word statement without a scroll bar on a laptop.
    text = TextAreaField(
        "Your text (Markdown)", validators=[Length(max=MAX_TEXT_CHARS)], render_kw={"rows": 12}
    )
    files = MultipleFileField("Add files")
    confirm = BooleanField("I am ready to submit: a submitted version cannot be taken back")
    save = SubmitField("Save draft")
    submit = SubmitField("Submit")

    def validate_confirm(self, field: BooleanField) -> None:
        # Submitting cannot be undone, so it takes a deliberate tick and not one stray click.
        if self.submit.data and not field.data:
            raise ValidationError("Tick this box to submit, or save a draft instead.")


def submission_form(deliverable: Deliverable) -> SubmissionForm:
    """Return the submission form, its file input offering what the deliverable accepts."""
    form = SubmissionForm()
    form.files.widget = FileInput(multiple=deliverable.max_files > 1)
    form.files.render_kw = {"accept": filetypes.accept_attribute(deliverable.file_types)}
    return form


def files_help(deliverable: Deliverable) -> str:
    """Return the file field's help: the accepted types and the limits."""
    count = "one file" if deliverable.max_files == 1 else f"up to {deliverable.max_files} files"
    return (
        f"Accepted: {', '.join(deliverable.file_types)}; "
        f"{count}, {deliverable.max_size_mb:g} MB in all."
    )


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
