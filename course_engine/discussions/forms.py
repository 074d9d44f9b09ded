"""Forms of discussions."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in the stubs
from wtforms.validators import DataRequired, Length, Optional

from course_engine.discussions.models import DigestMode
from course_engine.inputs import id_in_range

BODY_HELP = "Markdown: **bold**, *italic*, [links](https://example.org), lists."


class ThreadForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Give the thread a title.")])
    body = TextAreaField(
        "Your post", validators=[DataRequired(message="Write something before posting.")]
    )
    attachment = FileField("Attachment (image or PDF, optional)")
    submit = SubmitField("Start thread")


class ReplyForm(FlaskForm):
    parent_id = HiddenField()
    body = TextAreaField(
        "Your reply", validators=[DataRequired(message="Write something before posting.")]
    )
    attachment = FileField("Attachment (image or PDF, optional)")
    submit = SubmitField("Post reply")


class EditForm(FlaskForm):
    body = TextAreaField(
        "Your post", validators=[DataRequired(message="Write something before posting.")]
    )
    submit = SubmitField("Save changes")


class ReportForm(FlaskForm):
    reason = StringField(
        "What is wrong with this post?",
        validators=[
            DataRequired(message="Say briefly what is wrong with the post."),
            Length(max=500),
        ],
    )
    submit = SubmitField("Report to facilitators")


class SettingsForm(FlaskForm):
    digest = RadioField(
        "Discussion email",
        choices=[
            SelectChoice(DigestMode.PER_POST.value, "An email for each new post"),
            SelectChoice(DigestMode.DAILY.value, "One daily digest"),
        ],
        validators=[DataRequired()],
    )
    submit = SubmitField("Save")


class AssignGroupForm(FlaskForm):
    user_id = IntegerField("Learner", validators=[DataRequired(), id_in_range])
    group = StringField("Group", validators=[Optional(), Length(max=80)])
    submit = SubmitField("Set group")


class GroupCsvForm(FlaskForm):
    file = FileField("CSV file with lines email,group")
    submit = SubmitField("Upload groups")


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search posts", validators=[Optional(), Length(max=200)])
