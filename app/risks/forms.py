"""Forms for risks and their yearly assessment."""

from __future__ import annotations

from wtforms import (
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
    NumberRange,
    Optional,
)

from app.models import QualityArea, RiskMatrix, RiskStatus
from app.models.matrix import MAX_SIZE
from app.risks.queries import BY_SCORE
from app.web.forms import BaseForm, FilterForm, choice_list, optional_int

NO_AREA = SelectChoice(value="", label="– Inget valt –")


class RiskForm(BaseForm):
    title = StringField("Risk", validators=[DataRequired("Beskriv risken kort."), Length(max=500)])
    description = TextAreaField("Beskrivning", validators=[Length(max=10_000)])
    quality_area = SelectField("Kvalitetsområde", choices=[NO_AREA, *choice_list(QualityArea.choices())], validate_choice=True)
    process_id = SelectField("Process", coerce=int)
    control_ids = SelectMultipleField("Egenkontroller som följer upp risken", coerce=int)


class AssessmentForm(BaseForm):
    """This year's sannolikhet, konsekvens and status; version guards against overwriting someone else's save."""

    year = HiddenField()
    version = HiddenField()
    likelihood = SelectField("Sannolikhet", coerce=int, validators=[InputRequired("Välj sannolikhet.")])
    consequence = SelectField("Konsekvens", coerce=int, validators=[InputRequired("Välj konsekvens.")])
    status = SelectField("Status", choices=choice_list(RiskStatus.choices()))
    comment = TextAreaField("Kommentar", validators=[Length(max=10_000)])

    def use_matrix(self, matrix: RiskMatrix) -> None:
        """Offer exactly the year's scale, labelled as in the matrix."""
        self.likelihood.choices = choice_list(
            (i + 1, f"{i + 1} – {label}") for i, label in enumerate(matrix.likelihood_labels)
        )
        self.consequence.choices = choice_list(
            (i + 1, f"{i + 1} – {label}") for i, label in enumerate(matrix.consequence_labels)
        )


class LinkForm(BaseForm):
    item_id = SelectField("Välj", coerce=optional_int, validators=[InputRequired("Välj något att koppla.")])


class RiskFilterForm(FilterForm):
    ar = IntegerField("År", validators=[Optional()])
    enhet = SelectField("Enhet", coerce=optional_int, validators=[Optional()], validate_choice=False)
    # "process" is the URL parameter, but a field may not be called that: it would hide Form.process().
    process_filter = SelectField("Process", name="process", coerce=optional_int, validators=[Optional()],
                                 validate_choice=False)
    status = SelectField("Status", validators=[Optional()], validate_choice=False)
    niva = SelectField("Risknivå", validators=[Optional()], validate_choice=False)
    ansvarig = SelectField("Processägare", coerce=optional_int, validators=[Optional()], validate_choice=False)
    forsenad = SelectField(
        "Försenade åtgärder",
        choices=choice_list([("", "Alla"), ("1", "Bara risker med försenad åtgärd")]),
        validators=[Optional()],
        validate_choice=False,
    )
    # A cell of the largest matrix (6×6): anything else cannot match a risk, and a huge number would overflow SQL.
    sannolikhet = IntegerField("Sannolikhet", validators=[Optional(), NumberRange(min=1, max=MAX_SIZE)])
    konsekvens = IntegerField("Konsekvens", validators=[Optional(), NumberRange(min=1, max=MAX_SIZE)])
    sok = StringField("Sök", validators=[Optional(), Length(max=200)])
    sortera = SelectField(
        "Sortera",
        choices=choice_list([("", "Processordning"), (BY_SCORE, "Riskvärde, högst först")]),
        validators=[Optional()],
        validate_choice=False,
    )
