"""Reading åtgärder and marking them genomförda."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.actions import blueprint
from app.actions.forms import ActionFilterForm, CompleteForm
from app.actions.queries import ActionFilter, action_list, treated_risks
from app.core.history import events_for
from app.core.permissions import can_edit_action, readable_unit_ids
from app.core.services.actions import can_delete, complete_action
from app.core.unit_year import find_plan
from app.core.years import today
from app.models import Action
from app.web.access import get_action_or_404
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


@blueprint.get("/")
def index():
    year = requested_year(request.args)
    units = readable_unit_ids(current_user)
    form = ActionFilterForm(request.args)
    form.validate()
    unit_ids = filtered_unit_ids(form.enhet.data if not form.enhet.errors else None, units)
    _offer_filter_choices(form, units, unit_ids)
    criteria = ActionFilter(
        year=year,
        unit_ids=unit_ids,
        process_id=form.process_id.data,
        status=form.chosen_status(),
        responsible_id=form.ansvarig.data,
        overdue_on=today() if form.forsenad.data == "1" else None,
        text=search_text(form),
        include_archived=form.arkiverade.data == "1",
    )
    page = paginate(action_list(criteria), request.args.get("sida", 1, type=int))
    return render_template(
        "actions/index.html",
        form=form,
        page=page,
        year=year,
        many_units=len(unit_ids) > 1,
        create_unit_id=creatable_unit(form.enhet.data if form.enhet.data in units else None),
    )


@blueprint.get("/<id:action_id>")
def detail(action_id: int):
    action = get_action_or_404(action_id)
    return _detail(action, _complete_form(action))


@blueprint.post("/<id:action_id>/genomford")
def complete(action_id: int):
    action = get_action_or_404(action_id, for_edit=True)
    form = CompleteForm()
    if form.validate_on_submit():
        with shown_on(form) as refusal:
            complete_action(
                current_user,
                action,
                follow_up=form.follow_up.data,
                completed_on=form.completed_on.data,
                expected_version=form.expected_version(),
            )
            flash("Åtgärden är markerad som genomförd ✓", "success")
            return redirect(url_for("actions.detail", action_id=action.id))
        if refusal.is_stale:
            action = get_action_or_404(action_id, for_edit=True)
            # What she typed stays; a deliberate second save now goes through against the version she has seen.
            form.version.data = action.version
            return _detail(action, form), 409
        action = get_action_or_404(action_id, for_edit=True)
    return _detail(action, form), 400


def _detail(action: Action, form: CompleteForm | None):
    return render_template(
        "actions/detail.html",
        action=action,
        risks=treated_risks(action),
        form=form,
        deletable=can_delete(action),
        locked_year=locked_year(action),
        history=events_for(("Action", [action.id])),
    )


def locked_year(action: Action) -> int | None:
    """The year the åtgärd was completed in, if that year is locked: then the åtgärd can no longer change."""
    if action.completed_on is None:
        return None
    plan = find_plan(action.unit_id, action.completed_on.year)
    return action.completed_on.year if plan and plan.is_locked else None


def _complete_form(action: Action) -> CompleteForm | None:
    if not action.status.is_open or action.is_archived or not can_edit_action(current_user, action):
        return None
    return CompleteForm(formdata=None, version=action.version, follow_up=action.follow_up)


def _offer_filter_choices(form: ActionFilterForm, readable: set[int], unit_ids: set[int]) -> None:
    form.enhet.choices = unit_choices(readable)
    form.process_id.choices = process_choices(unit_ids)
    form.ansvarig.choices = people_choices(Action.responsible_id, Action.unit_id, unit_ids)
