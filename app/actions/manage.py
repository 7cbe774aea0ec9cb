"""Planning, changing, archiving and deleting åtgärder."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.actions import blueprint
from app.actions.forms import NOBODY, ActionForm
from app.actions.views import locked_year
from app.core.services import actions as services
from app.core.services.risks import link_action
from app.core.years import current_year
from app.extensions import db
from app.models import Action, ActionStatus, User
from app.web.access import get_action_or_404, place_for_new_item
from app.web.boundary import shown_on
from app.web.lifecycle import Lifecycle, add_lifecycle_routes
from app.web.list_filters import people_of_unit


@blueprint.route("/ny", methods=["GET", "POST"])
def create():
    unit, risk = place_for_new_item()
    form = ActionForm()
    form.for_planning()
    form.responsible_id.choices = [NOBODY, *people_of_unit(unit.id)]
    if request.method == "GET":
        form.start_year.data = current_year()
        if any(choice.value == current_user.id for choice in form.responsible_id.choices):
            form.responsible_id.data = current_user.id
    if form.validate_on_submit():
        with shown_on(form):
            action = services.create_action(current_user, unit, **_action_fields(form))
            if risk is not None:
                link_action(current_user, risk, action)
            flash("Åtgärden är tillagd.", "success")
            return redirect(url_for("actions.detail", action_id=action.id))
    status = 400 if form.errors else 200
    return render_template(
        "actions/form.html", form=form, action=None, unit=unit, risk=risk, current=None, locked_year=None
    ), status


@blueprint.route("/<id:action_id>/redigera", methods=["GET", "POST"])
def edit(action_id: int):
    action = get_action_or_404(action_id, for_edit=True)
    form = ActionForm(obj=action) if request.method == "GET" else ActionForm()
    form.responsible_id.choices = [NOBODY, *people_of_unit(action.unit_id, keep=action.responsible)]
    if request.method == "GET":
        form.status.data = action.status.value
    if form.validate_on_submit():
        with shown_on(form) as refusal:
            services.update_action(
                current_user, action, expected_version=form.expected_version(), **_action_fields(form)
            )
            flash("Åtgärden är sparad.", "success")
            return redirect(url_for("actions.detail", action_id=action.id))
        if refusal.is_stale:
            action = get_action_or_404(action_id, for_edit=True)
            # What she typed stays; a deliberate second save now goes through against the version she has seen.
            form.version.data = action.version
            return _form_page(form, action, current=action), 409
        action = get_action_or_404(action_id, for_edit=True)
    return _form_page(form, action), 400 if form.errors else 200


add_lifecycle_routes(
    blueprint,
    Lifecycle(
        id_name="action_id",
        load=get_action_or_404,
        set_archived=services.set_archived,
        delete=services.delete_action,
        archived="Åtgärden är arkiverad. Historiken finns kvar.",
        restored="Åtgärden är återställd.",
        deleted="Åtgärden är borttagen.",
        after_delete=lambda item: url_for("actions.index"),
    ),
)


def _form_page(form: ActionForm, action: Action, current: Action | None = None):
    return render_template(
        "actions/form.html",
        form=form,
        action=action,
        unit=action.unit,
        risk=None,
        current=current,
        locked_year=locked_year(action),
    )


def _action_fields(form: ActionForm) -> dict:
    responsible_id = form.responsible_id.data
    fields = {
        "title": form.title.data,
        "description": form.description.data or "",
        "responsible": db.session.get(User, responsible_id) if responsible_id else None,
        "start_year": form.start_year.data,
        "due_on": form.due_on.data,
        "status": ActionStatus(form.status.data),
    }
    if form.follow_up is not None:  # a new åtgärd has neither (see ActionForm.for_planning)
        fields["follow_up"] = form.follow_up.data or ""
        fields["completed_on"] = form.completed_on.data
    return fields
