"""Forms of the peer review pages; rubric levels and criterion comments are read per criterion."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length

from course_engine.inputs import id_in_range
from course_engine.peer_review.reviews import MAX_COMMENT_CHARS


class ReviewForm(FlaskForm):
    comment = TextAreaField(
        "General comment (Markdown)", validators=[Length(max=MAX_COMMENT_CHARS)]
    )
    save = SubmitField("Save draft")
    submit = SubmitField("Submit review")


class AddForm(FlaskForm):
    submission_id = IntegerField(
        "Submission", validators=[InputRequired("Choose a submission."), id_in_range]
    )
    reviewer_id = IntegerField(
        "Reviewer", validators=[InputRequired("Choose a reviewer."), id_in_range]
    )


class SwapForm(FlaskForm):
    reviewer_id = IntegerField(
        "New reviewer", validators=[InputRequired("Choose a reviewer."), id_in_range]
    )


class HideForm(FlaskForm):
    hidden = HiddenField(validators=[AnyOf(["0", "1"], message="Say whether to hide or show.")])
