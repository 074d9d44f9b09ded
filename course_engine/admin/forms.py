"""Forms for accounts, bulk import, course people and self-enrolment."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in the stubs
from wtforms.validators import DataRequired, Email, Length, Optional

from course_engine.roles import Role

LANGUAGES = [
    SelectChoice(code, name)
    for code, name in [
        ("en", "English"),
        ("es", "Español"),
        ("fr", "Français"),
        ("pt", "Português"),
    ]
]
ROLE_CHOICES = [
    SelectChoice(role.value, role.value.replace("_", " ").capitalize()) for role in Role
]


class ProfileForm(FlaskForm):
    display_name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    country = StringField("Country", validators=[Optional(), Length(max=80)])
    organisation = StringField("Organisation", validators=[Optional(), Length(max=160)])
    job_title = StringField("Job title", validators=[Optional(), Length(max=120)])
    language = SelectField("Language", choices=LANGUAGES, default="en")
    is_admin = BooleanField("Site admin (may manage every course, account and pack)")
    submit = SubmitField("Save")


class NewUserForm(ProfileForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField("Create the account and email a link to set a password")

    def __iter__(self):
        # The email first, then the profile fields, then the button.
        fields = list(super().__iter__())
        fields.sort(key=lambda field: field.name != "email")
        return iter(fields)


class ImportUsersForm(FlaskForm):
    csv_file = FileField(
        "Users CSV file",
        validators=[
            FileRequired("Choose a CSV file."),
            FileAllowed(["csv", "txt"], "Only .csv files are accepted."),
        ],
    )
    send_links = BooleanField("Email each new account a link to set its password", default=True)
    submit = SubmitField("Import")


class EnrolForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.LEARNER.value)
    submit = SubmitField("Enrol")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Change role")


class GroupForm(FlaskForm):
    group = StringField("Group", validators=[Optional(), Length(max=80)])
    submit = SubmitField("Set group")


class EnrolmentKeyForm(FlaskForm):
    key = PasswordField("New enrolment key", validators=[DataRequired(), Length(min=6, max=200)])
    submit = SubmitField("Set the key")


class JoinForm(FlaskForm):
    course = StringField("Course code", validators=[DataRequired(), Length(max=80)])
    key = PasswordField("Enrolment key", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Join the course")
