"""Reading egenkontroller and recording each time one is carried out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.controls import blueprint
from app.controls.forms import CheckForm, ControlFilterForm
from app.controls.queries import (
    ControlFilter,
    all_checks,
    checks_in_year,
    control_list,
    followed_risks,
)
from app.core.history import events_for
from app.core.permissions import can_edit_control, readable_unit_ids
from app.core.services.controls import EXPECTED_PER_YEAR
from app.core.services.controls import record_check as record
from app.core.unit_year import find_plan, matrix_for
from app.core.years import current_year, today
from app.models import (
    Assessment,
    AuditEvent,
    CheckOutcome,
    Control,
    ControlCheck,
    Risk,
    RiskMatrix,
)
from app.web.access import get_control_or_404
from app.web.boundary import shown_on
from app.web.list_filters import (
    creatable_unit,
    filtered_unit_ids,
    people_choices,
    process_choices,
    search_text,
    unit_choices,
)
from app.web.pagination import paginate
from app.web.routing import requested_year


@dataclass
class ControlPage:
    control: Control
    year: int
    years: list[int]
    risks: list[tuple[Risk, Assessment | None]]
    matrix: RiskMatrix
    checks_by_year: list[tuple[int, list[ControlCheck]]]
    history: list[AuditEvent]
    is_year_locked: bool


@blueprint.get("/")
def index():
    year = requested_year(request.args)
    units = readable_unit_ids(current_user)
    form = ControlFilterForm(request.args)
    form.validate()
    unit_ids = filtered_unit_ids(form.enhet.data if not form.enhet.errors else None, units)
    _offer_filter_choices(form, units, unit_ids)
    criteria = ControlFilter(
        year=year,
        unit_ids=unit_ids,
        process_id=form.process_id.data,
        responsible_id=form.ansvarig.data,
        not_performed=form.ej_genomford.data == "1",
        text=search_text(form),
        include_archived=form.arkiverade.data == "1",
    )
    page = paginate(control_list(criteria), request.args.get("sida", 1, type=int))
    checks = checks_in_year([control.id for control in page.items], year)
    return render_template(
        "controls/index.html",
        form=form,
        page=page,
        year=year,
        checks=checks,
        expected=EXPECTED_PER_YEAR,
        many_units=len(unit_ids) > 1,
        create_unit_id=creatable_unit(form.enhet.data if form.enhet.data in units else None),
    )


@blueprint.get("/<id:control_id>")
def detail(control_id: int):
    control = get_control_or_404(control_id)
    page = _load_page(control, requested_year(request.args))
    return render_template(
        "controls/detail.html", page=page, form=_check_form(page), expected=EXPECTED_PER_YEAR
    )


@blueprint.post("/<id:control_id>/genomforande")
def record_check(control_id: int):
    control = get_control_or_404(control_id, for_edit=True)
    form = CheckForm()
    year = form.year()
    if form.validate_on_submit():
        with shown_on(form):
            check = record(
                current_user,
                control,
                performed_on=form.performed_on.data,
                outcome=CheckOutcome(form.outcome.data),
                findings=form.findings.data or "",
                year=year,
            )
            flash(f"Genomförandet {check.performed_on.isoformat()} är registrerat för {check.year}.", "success")
            return redirect(url_for("controls.detail", control_id=control.id, ar=check.year))
        control = get_control_or_404(control_id, for_edit=True)
    page = _load_page(control, year or current_year())
    return render_template("controls/detail.html", page=page, form=form, expected=EXPECTED_PER_YEAR), 400


def _load_page(control: Control, year: int) -> ControlPage:
    checks = all_checks(control)
    plan = find_plan(control.unit_id, year)
    return ControlPage(
        control=control,
        year=year,
        years=sorted({check.year for check in checks} | {current_year(), year}, reverse=True),
        risks=followed_risks(control, year),
        matrix=matrix_for(control.unit, year),
        checks_by_year=[(y, list(items)) for y, items in groupby(checks, key=lambda check: check.year)],
        history=events_for(("Control", [control.id]), ("ControlCheck", [check.id for check in checks])),
        is_year_locked=bool(plan and plan.is_locked),
    )


def _check_form(page: ControlPage) -> CheckForm | None:
    """The form to record a check, for those who may, in an open year that has begun, on a control in use."""
    if page.is_year_locked or page.control.is_archived or page.year > today().year:
        return None
    if not can_edit_control(current_user, page.control):
        return None
    form = CheckForm(formdata=None, ar=page.year)
    # Viewing an earlier year: suggest its last day rather than a date the form would refuse.
    form.performed_on.data = min(today(), date(page.year, 12, 31))
    return form


def _offer_filter_choices(form: ControlFilterForm, readable: set[int], unit_ids: set[int]) -> None:
    form.enhet.choices = unit_choices(readable)
    form.process_id.choices = process_choices(unit_ids)
    form.ansvarig.choices = people_choices(Control.responsible_id, Control.unit_id, unit_ids)
