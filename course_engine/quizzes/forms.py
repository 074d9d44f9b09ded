"""Forms of the quiz pages that are not the questions themselves."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DecimalField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from course_engine.inputs import FiniteNumber


class EssayGradeForm(FlaskForm):
    marks = DecimalField(
        "Marks",
        places=None,
        validators=[
            InputRequired("Give the marks."),
            FiniteNumber(),
            NumberRange(min=0, message="Marks may not be negative."),
        ],
    )
    comment = TextAreaField("Comment for the learner", validators=[Length(max=5000)])
    submit = SubmitField("Save the grade")


class GiftImportForm(FlaskForm):
    file = FileField(
        "GIFT file (.gift or .txt)",
        validators=[
            FileRequired("Choose a GIFT file."),
            FileAllowed(["gift", "txt"], "Only .gift and .txt files are accepted."),
        ],
    )
    submit = SubmitField("Import the questions")
