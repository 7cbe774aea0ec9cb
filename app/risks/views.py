"""Reading risks and keeping this year's assessment current."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.permissions import can_edit_risk, readable_unit_ids
from app.core.services.assessments import assess_risk, update_assessment
from app.core.unit_year import matrices_for
from app.core.years import today
from app.models import Process, RiskStatus
from app.risks import blueprint
from app.risks.detail import load_risk_page
from app.risks.forms import AssessmentForm, LinkForm, RiskFilterForm
from app.risks.queries import BY_SCORE, NOT_ASSESSED, RiskFilter, risk_rows
from app.web.access import get_risk_or_404
from app.web.boundary import shown_on
from app.web.forms import choice_list
from app.web.list_filters import (
    filtered_unit_ids,
    people_choices,
    process_choices,
    unit_choices,
)
from app.web.pagination import paginate
from app.web.routing import requested_year


@blueprint.get("/")
def index():
    year = requested_year(request.args)
    units = readable_unit_ids(current_user)
    form = RiskFilterForm(request.args)
    wanted_unit = form.enhet.data if not form.enhet.errors else None
    unit_ids = filtered_unit_ids(wanted_unit, units)
    _offer_filter_choices(form, unit_ids, year)
    # Anything that fails validation is dropped from the filter rather than failing the page.
    form.validate()
    for field in form:
        if field.errors:
            field.data = None
    criteria = RiskFilter(
        year=year,
        unit_ids=unit_ids,
        process_id=form.process_filter.data,
        status=form.status.data or None,
        level=form.niva.data or None,
        owner_id=form.ansvarig.data,
        overdue_on=today() if form.forsenad.data == "1" else None,
        likelihood=form.sannolikhet.data,
        consequence=form.konsekvens.data,
        text=(form.sok.data or "").strip(),
        by_score=form.sortera.data == BY_SCORE,
    )
    page = paginate(risk_rows(criteria), request.args.get("sida", 1, type=int), rows=True)
    return render_template(
        "risks/index.html", form=form, page=page, year=year, matrices=matrices_for(unit_ids, year)
    )


@blueprint.get("/<id:risk_id>")
def detail(risk_id: int):
    risk = get_risk_or_404(risk_id)
    year = requested_year(request.args)
    page = load_risk_page(risk, year)
    return render_template("risks/detail.html", page=page, form=_assessment_form(page), **_link_forms(page))


@blueprint.post("/<id:risk_id>/bedomning")
def assess(risk_id: int):
    risk = get_risk_or_404(risk_id, for_edit=True)
    year = requested_year(request.form)
    page = load_risk_page(risk, year)
    form = AssessmentForm()
    form.use_matrix(page.matrix)
    if form.validate_on_submit():
        with shown_on(form) as refusal:
            _save_assessment(page, form)
            flash(f"Bedömningen för {year} är sparad.", "success")
            return redirect(url_for("risks.detail", risk_id=risk.id, ar=year))
        if refusal.is_stale:
            page = load_risk_page(get_risk_or_404(risk_id, for_edit=True), year)
            form.version.data = page.assessment.version if page.assessment else ""
            return render_template("risks/detail.html", page=page, form=form, stale=True, **_link_forms(page)), 409
        page = load_risk_page(get_risk_or_404(risk_id, for_edit=True), year)
    return render_template("risks/detail.html", page=page, form=form, **_link_forms(page)), 400


def _save_assessment(page, form: AssessmentForm) -> None:
    fields = {
        "likelihood": form.likelihood.data,
        "consequence": form.consequence.data,
        "status": RiskStatus(form.status.data),
        "comment": form.comment.data or "",
    }
    if page.assessment is None:
        assess_risk(current_user, page.risk, year=page.year, **fields)
    else:
        expected = int(form.version.data) if (form.version.data or "").isdigit() else None
        update_assessment(current_user, page.assessment, expected_version=expected, **fields)


def _assessment_form(page) -> AssessmentForm | None:
    if not can_edit_risk(current_user, page.risk) or page.is_year_locked:
        return None
    current = page.assessment or (page.timeline[-1].assessment if page.timeline else None)
    form = AssessmentForm(
        formdata=None,
        year=page.year,
        version=page.assessment.version if page.assessment else "",
        likelihood=current.likelihood if current else None,
        consequence=current.consequence if current else None,
        status=(page.assessment.status if page.assessment else _carried_status(current)).value,
        comment=page.assessment.comment if page.assessment else "",
    )
    form.use_matrix(page.matrix)
    return form


def _carried_status(previous) -> RiskStatus:
    """A first assessment this year starts as Ny, or Kvarstår when an earlier year left the risk open."""
    return RiskStatus.CARRIED_OVER if previous and previous.status.is_open else RiskStatus.NEW


def _link_forms(page) -> dict:
    if not can_edit_risk(current_user, page.risk):
        return {"control_link_form": None, "action_link_form": None}
    control_form, action_form = LinkForm(prefix="control"), LinkForm(prefix="action")
    control_form.item_id.choices = choice_list((c.id, c.title) for c in page.linkable_controls)
    action_form.item_id.choices = choice_list((a.id, a.title) for a in page.linkable_actions)
    return {"control_link_form": control_form, "action_link_form": action_form}


def _offer_filter_choices(form: RiskFilterForm, unit_ids: set[int], year: int) -> None:
    form.enhet.choices = unit_choices(readable_unit_ids(current_user))
    form.process_filter.choices = process_choices(unit_ids)
    form.status.choices = choice_list([("", "Alla"), *RiskStatus.choices(), (NOT_ASSESSED, "Ej bedömd i år")])
    form.status.validate_choice = form.niva.validate_choice = True
    level_names = dict.fromkeys(level.name for m in matrices_for(unit_ids, year).values() for level in m.levels())
    form.niva.choices = choice_list([("", "Alla nivåer")] + [(name, name) for name in level_names])
    form.ansvarig.choices = people_choices(Process.owner_id, Process.unit_id, unit_ids)
