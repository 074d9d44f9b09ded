"""The public verification form."""

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length


class VerifyForm(FlaskForm):
    # A GET form: looking a code up changes nothing, so it carries no CSRF token.
    class Meta:
        csrf = False

    code = StringField("Verification code", validators=[DataRequired(), Length(max=40)])
    submit = SubmitField("Check")
