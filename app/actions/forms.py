"""Forms for åtgärder: planning and changing one, marking it genomförd, and filtering the list."""

from __future__ import annotations

from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.core.years import today
from app.models import MAX_YEAR, MIN_YEAR, ActionStatus
from app.web.forms import BaseForm, FilterForm, choice_list, optional_int

NOBODY = SelectChoice(value=None, label="– Ingen vald –")
OPEN_STATUSES = choice_list((s.value, s.label) for s in ActionStatus if s.is_open)


def not_in_the_future(form, field: DateField) -> None:
    if field.data is not None and field.data > today():
        raise ValidationError("Datumet kan inte ligga i framtiden.")


def plausible_year(form, field: DateField) -> None:
    if field.data is not None and not MIN_YEAR <= field.data.year <= MAX_YEAR:
        raise ValidationError(f"Datumet måste ligga mellan {MIN_YEAR} och {MAX_YEAR}.")


class VersionedForm(BaseForm):
    """The version the form was loaded at: saving over somebody else's later save is refused, never silent."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        value = self.version.data or ""
        return int(value) if value.isdigit() else None


class ActionForm(VersionedForm):
    title = StringField("Åtgärd", validators=[DataRequired("Beskriv åtgärden kort."), Length(max=1000)])
    description = TextAreaField("Beskrivning", validators=[Length(max=10_000)])
    responsible_id = SelectField("Ansvarig", coerce=optional_int, validators=[Optional()])
    start_year = IntegerField(
        "Startår",
        validators=[
            InputRequired("Ange vilket år åtgärden startar."),
            NumberRange(MIN_YEAR, MAX_YEAR, f"Startåret måste vara mellan {MIN_YEAR} och {MAX_YEAR}."),
        ],
    )
    due_on = DateField("Klart senast", validators=[Optional(), plausible_year])
    status = SelectField("Status", choices=choice_list(ActionStatus.choices()))
    follow_up = TextAreaField("Uppföljning", validators=[Length(max=10_000)])
    completed_on = DateField("Genomförd datum", validators=[Optional(), plausible_year, not_in_the_future])

    def for_planning(self) -> None:
        """A new åtgärd is planned or under way; it is marked genomförd from its own page later."""
        self.status.choices = OPEN_STATUSES
        del self.follow_up
        del self.completed_on
        del self.version

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Optional() ends the field's own checks when it is empty, so this cross-field rule lives here.
        completed_on = getattr(self, "completed_on", None)
        if completed_on is not None and self.status.data == ActionStatus.DONE.value and completed_on.data is None:
            if not completed_on.errors:
                completed_on.errors.append("Ange datum då åtgärden genomfördes.")
            valid = False
        return valid

    def validate_follow_up(self, field: TextAreaField) -> None:
        """Genomförd means followed up: the kvalitetsberättelse needs to say what was done."""
        if self.status.data == ActionStatus.DONE.value and not (field.data or "").strip():
            raise ValidationError("Beskriv vad som gjordes innan åtgärden markeras som genomförd.")


class CompleteForm(VersionedForm):
    follow_up = TextAreaField(
        "Uppföljning",
        validators=[
            DataRequired("Beskriv vad som gjordes innan åtgärden markeras som genomförd."),
            Length(max=10_000),
        ],
    )
    completed_on = DateField(
        "Genomförd datum",
        default=today,
        validators=[InputRequired("Ange datum då åtgärden genomfördes."), plausible_year, not_in_the_future],
    )


class ActionFilterForm(FilterForm):
    ar = IntegerField("År", validators=[Optional()])
    enhet = SelectField("Enhet", coerce=optional_int, validators=[Optional()], validate_choice=False)
    # Named in Python so it does not hide Form.process; the query parameter stays ?process=.
    process_id = SelectField(
        "Process", name="process", coerce=optional_int, validators=[Optional()], validate_choice=False
    )
    status = SelectField(
        "Status", choices=choice_list([("", "Alla"), *ActionStatus.choices()]), validators=[Optional()], validate_choice=False
    )
    ansvarig = SelectField("Ansvarig", coerce=optional_int, validators=[Optional()], validate_choice=False)
    forsenad = SelectField(
        "Försenade", choices=choice_list([("", "Alla"), ("1", "Bara försenade")]), validators=[Optional()], validate_choice=False
    )
    arkiverade = SelectField(
        "Visa arkiverade", choices=choice_list([("", "Nej"), ("1", "Ja")]), validators=[Optional()], validate_choice=False
    )
    sok = StringField("Sök", validators=[Optional(), Length(max=200)])

    def chosen_status(self) -> ActionStatus | None:
        """The status filter, ignoring values that are not a status (a hand-edited URL)."""
        return next((s for s in ActionStatus if s.value == self.status.data), None)

