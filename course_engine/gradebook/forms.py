"""Forms of the gradebook pages."""

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import DecimalField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from course_engine.inputs import FiniteNumber


def weights_form(categories: list[str], current: dict[str, float]) -> FlaskForm:
    """Return a form with one weight field per category, named weight_0, weight_1, ..."""

    class WeightsForm(FlaskForm):
        save = SubmitField("Save weights")

    for index, category in enumerate(categories):
        field = DecimalField(
            f"Weight of “{category}”",
            # From the float exactly, so it shows as the stored weight did.
            default=Decimal(current.get(category, 1.0)),
            validators=[InputRequired(), FiniteNumber(), NumberRange(min=0, max=1000)],
        )
        setattr(WeightsForm, f"weight_{index}", field)
    return WeightsForm()
