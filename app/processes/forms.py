"""The process form: what the process is called, where it sits in the tree, and who owns it."""

from __future__ import annotations

from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.web.forms import BaseForm
from app.web.routing import MAX_ID

MAX_SORT_ORDER = 9_999
NO_PARENT = SelectChoice(value=None, label="– Ingen (huvudprocess) –")
NO_OWNER = SelectChoice(value=None, label="– Ingen vald –")


def chosen_id(value: object) -> int | None:
    """Coerce a select's value to an id; garbage becomes 0, an id nothing has, so the view says "finns inte"."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else 0
    text = str(value).strip()
    return int(text) if text.isdigit() and 0 < int(text) <= MAX_ID else 0


class ProcessForm(BaseForm):
    # validate_choice is off: the view loads the chosen ids itself and names what is wrong in Swedish.
    title = StringField(
        "Namn", validators=[DataRequired("Ange processens namn."), Length(max=300, message="Högst 300 tecken.")]
    )
    description = TextAreaField("Beskrivning", validators=[Length(max=10_000, message="Högst 10 000 tecken.")])
    parent = SelectField("Överordnad process", coerce=chosen_id, validate_choice=False)
    owner = SelectField("Processägare", coerce=chosen_id, validate_choice=False)
    sort_order = IntegerField(
        "Ordning",
        default=None,
        validators=[
            Optional(),
            NumberRange(0, MAX_SORT_ORDER, message=f"Ordningen ska vara ett heltal mellan 0 och {MAX_SORT_ORDER}."),
        ],
    )
