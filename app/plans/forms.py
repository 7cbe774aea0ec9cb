"""Forms of the yearly cycle."""

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.web.forms import BaseForm


class ConfirmForm(BaseForm):
    """A button that changes something: only the CSRF token travels."""


class UnlockForm(BaseForm):
    reason = TextAreaField(
        "Skäl till att året låses upp",
        validators=[DataRequired("Ange varför året låses upp."), Length(max=2_000)],
    )
