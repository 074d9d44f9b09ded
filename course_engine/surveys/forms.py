"""Survey forms: the answers are read per question, the form carries the CSRF token."""

from flask_wtf import FlaskForm
from wtforms import SubmitField


class AnswerForm(FlaskForm):
    submit = SubmitField("Send my answers")
