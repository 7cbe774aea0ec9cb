"""Egenkontroller: planning them, changing them, and recording each check performed."""

from __future__ import annotations

from datetime import date

from app.core import audit
from app.core.errors import ValidationError
from app.core.unit_year import assert_year_open
from app.core.validation import clean_text
from app.core.years import today, validate_year
from app.extensions import db
from app.models import CheckOutcome, Control, ControlCheck, Frequency, Unit, User

AUDITED_FIELDS = ["title", "description", "method", "frequency", "responsible_id"]
# How many checks a year the frequency promises; a continuous control has no count to meet.
EXPECTED_PER_YEAR = {
    Frequency.MONTHLY: 12,
    Frequency.QUARTERLY: 4,
    Frequency.SEMIANNUAL: 2,
    Frequency.ANNUAL: 1,
}


def create_control(
    actor: User | None,
    unit: Unit,
    *,
    title: str,
    frequency: Frequency,
    description: str = "",
    method: str = "",
    responsible: User | None = None,
) -> Control:
    """A planned egenkontroll of the unit."""
    _check_responsible(unit.id, responsible)
    control = Control(unit=unit, responsible=responsible, **_fields(title, frequency, description, method))
    db.session.add(control)
    db.session.flush()
    audit.record(actor, "create", control, audit.snapshot(control, AUDITED_FIELDS), unit_id=unit.id)
    return control


def update_control(
    actor: User | None,
    control: Control,
    *,
    title: str,
    frequency: Frequency,
    description: str = "",
    method: str = "",
    responsible: User | None = None,
) -> audit.Changes:
    _check_responsible(control.unit_id, responsible)
    changes = audit.apply_changes(
        control,
        responsible_id=responsible.id if responsible else None,
        **_fields(title, frequency, description, method),
    )
    control.responsible = responsible  # keep a loaded relationship in step with responsible_id
    if changes:
        audit.record(actor, "update", control, changes, unit_id=control.unit_id)
    return changes


def set_archived(actor: User | None, control: Control, archived: bool) -> None:
    changes = audit.apply_changes(control, is_archived=archived)
    if changes:
        audit.record(actor, "archive" if archived else "restore", control, changes, unit_id=control.unit_id)


def record_check(
    actor: User | None,
    control: Control,
    *,
    performed_on: date,
    outcome: CheckOutcome,
    findings: str = "",
    year: int | None = None,
) -> ControlCheck:
    """Record that the egenkontroll was carried out, and what it found."""
    if control.is_archived:
        raise ValidationError("Egenkontrollen är arkiverad. Återställ den innan du registrerar ett genomförande.")
    if not isinstance(performed_on, date):
        raise ValidationError("Ange datum då egenkontrollen genomfördes.", field="performed_on")
    if performed_on > today():
        raise ValidationError("En egenkontroll kan inte registreras som genomförd i framtiden.", field="performed_on")
    year = validate_year(year if year is not None else performed_on.year)
    assert_year_open(control.unit_id, year)
    if not isinstance(outcome, CheckOutcome):
        raise ValidationError("Okänt resultat för egenkontrollen.", field="outcome")
    findings = clean_text(findings, "Iakttagelser", max_length=10_000, field="findings")
    if outcome is CheckOutcome.DEFICIENCIES and not findings:
        raise ValidationError("Beskriv vilka brister som hittades.", field="findings")
    check = ControlCheck(
        control=control, year=year, performed_on=performed_on, outcome=outcome, findings=findings, performed_by=actor
    )
    db.session.add(check)
    db.session.flush()
    audit.record(
        actor,
        "create",
        check,
        audit.snapshot(check, ["control_id", "year", "performed_on", "outcome", "findings"]),
        unit_id=control.unit_id,
    )
    return check


def delete_control(actor: User | None, control: Control) -> None:
    """Remove an egenkontroll entered by mistake; one that has been carried out has history and is archived instead."""
    if control.checks:
        raise ValidationError(
            "Egenkontrollen har registrerade genomföranden och kan inte tas bort. Arkivera den i stället."
        )
    audit.record(actor, "delete", control, audit.removal(control, AUDITED_FIELDS), unit_id=control.unit_id)
    # The risks it followed up keep a trace in their own history of losing it.
    for risk in list(control.risks):
        audit.record(actor, "unlink", risk, {"controls": [control.id, None]}, unit_id=control.unit_id)
    control.risks.clear()
    db.session.delete(control)
    db.session.flush()


def _fields(title: str, frequency: Frequency, description: str, method: str) -> dict:
    if not isinstance(frequency, Frequency):
        raise ValidationError("Välj hur ofta egenkontrollen görs.", field="frequency")
    return {
        "title": clean_text(title, "Egenkontrollens namn", max_length=500, required=True, field="title"),
        "description": clean_text(description, "Beskrivning", max_length=10_000, field="description"),
        "method": clean_text(method, "Metod", max_length=300, field="method"),
        "frequency": frequency,
    }


def _check_responsible(unit_id: int, responsible: User | None) -> None:
    if responsible is not None and responsible.unit_id != unit_id:
        raise ValidationError("Den ansvariga måste höra till samma enhet.", field="responsible")
