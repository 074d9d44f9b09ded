"""Forms for sessions: recording link, attendance, time zone."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional, ValidationError

from course_engine.live_sessions.times import is_https, zone, zone_names


class RecordingForm(FlaskForm):
    recording_url = StringField("Link to the recording", validators=[Optional(), Length(max=500)])
    submit = SubmitField("Save the link")

    def validate_recording_url(self, field):
        if field.data and not is_https(field.data.strip()):
            raise ValidationError("The link must start with https://.")


class AttendanceForm(FlaskForm):
    """The learners' checkboxes are read by name; the form carries the CSRF token."""

    submit = SubmitField("Save attendance")


class AttendanceUploadForm(FlaskForm):
    file = FileField(
        "Attendance file (CSV with the header email,attended)", validators=[FileRequired()]
    )
    submit = SubmitField("Upload attendance")


class TimeZoneForm(FlaskForm):
    timezone = SelectField("Show times in", validate_choice=False)
    next = HiddenField()
    submit = SubmitField("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = [("", "Each session's own time zone")] + [
            (name, name.replace("_", " ")) for name in zone_names()
        ]

    def validate_timezone(self, field):
        if field.data and zone(field.data) is None:
            raise ValidationError("Choose a time zone from the list.")
