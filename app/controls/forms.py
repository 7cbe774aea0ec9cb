"""Forms for egenkontroller: planning one, recording a check, and filtering the list."""

from __future__ import annotations

from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from app.core.years import today
from app.models import MAX_YEAR, MIN_YEAR, CheckOutcome, Frequency
from app.web.forms import BaseForm, FilterForm, choice_list, optional_int

NOBODY = SelectChoice(value=None, label="– Ingen vald –")
YES_OR_NO = choice_list([("", "Nej"), ("1", "Ja")])


class ControlForm(BaseForm):
    title = StringField(
        "Egenkontroll", validators=[DataRequired("Ange vad som kontrolleras."), Length(max=500)]
    )
    description = TextAreaField("Beskrivning", validators=[Length(max=10_000)])
    method = StringField("Metod", validators=[Length(max=300)])
    frequency = SelectField(
        "Frekvens", choices=choice_list(Frequency.choices()), validators=[InputRequired("Välj hur ofta egenkontrollen görs.")]
    )
    responsible_id = SelectField("Ansvarig", coerce=optional_int, validators=[Optional()])
    risk_ids = SelectMultipleField("Risker som egenkontrollen följer upp", coerce=int, validators=[Optional()])


class CheckForm(BaseForm):
    """One carried-out check; the hidden year says which year's plan it counts for."""

    ar = HiddenField()
    performed_on = DateField("Datum", default=today, validators=[InputRequired("Ange datum då den genomfördes.")])
    outcome = SelectField("Resultat", choices=choice_list(CheckOutcome.choices()))
    findings = TextAreaField("Iakttagelser", validators=[Length(max=10_000)])

    def year(self) -> int | None:
        """The year given with the form, if it is a plausible one."""
        value = self.ar.data or ""
        return int(value) if value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR else None

    def validate_performed_on(self, field: DateField) -> None:
        if field.data is None:
            return
        if field.data > today():
            raise ValidationError("Datumet kan inte ligga i framtiden.")
        year = self.year()
        # A check may be done late, early in the following year, but never before the year it counts for.
        if year is not None and field.data.year not in (year, year + 1):
            raise ValidationError(
                f"Datumet ska ligga i {year} (eller i början av {year + 1} om kontrollen gjordes sent). "
                "Byt år på sidan för att registrera ett annat år."
            )

    def validate_findings(self, field: TextAreaField) -> None:
        if self.outcome.data == CheckOutcome.DEFICIENCIES.value and not (field.data or "").strip():
            raise ValidationError("Beskriv vilka brister som hittades.")


class ControlFilterForm(FilterForm):
    ar = IntegerField("År", validators=[Optional()])
    enhet = SelectField("Enhet", coerce=optional_int, validators=[Optional()], validate_choice=False)
    # Named in Python so it does not hide Form.process; the query parameter stays ?process=.
    process_id = SelectField(
        "Process", name="process", coerce=optional_int, validators=[Optional()], validate_choice=False
    )
    ansvarig = SelectField("Ansvarig", coerce=optional_int, validators=[Optional()], validate_choice=False)
    ej_genomford = SelectField(
        "Genomförd i år",
        choices=choice_list([("", "Alla"), ("1", "Bara ej genomförda")]),
        validators=[Optional()],
        validate_choice=False,
    )
    arkiverade = SelectField("Visa arkiverade", choices=YES_OR_NO, validators=[Optional()], validate_choice=False)
    sok = StringField("Sök", validators=[Optional(), Length(max=200)])
