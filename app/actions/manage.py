"""Planning, changing, archiving and deleting åtgärder."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.access import get_action_or_404, get_risk_or_404, get_unit_or_404
from app.actions import blueprint, services
from app.actions.forms import NOBODY, ActionForm
from app.actions.views import locked_year
from app.errors import DomainError, StaleEditError
from app.extensions import db
from app.forms import choice_list, show_error
from app.lifecycle import Lifecycle, add_lifecycle_routes
from app.models import Action, ActionStatus, Risk, Unit, User
from app.permissions import can_contribute_to_unit, require
from app.risks.services import link_action
from app.routing import parse_id
from app.sorting import swedish_key
from app.years import current_year


@blueprint.route("/ny", methods=["GET", "POST"])
def create():
    unit, risk = _where_to_create()
    form = ActionForm()
    form.for_planning()
    _offer_people(form, unit)
    if request.method == "GET":
        form.start_year.data = current_year()
        if any(choice.value == current_user.id for choice in form.responsible_id.choices):
            form.responsible_id.data = current_user.id
    if form.validate_on_submit():
        try:
            action = services.create_action(current_user, unit, **_action_fields(form))
            if risk is not None:
                link_action(current_user, risk, action)
            db.session.commit()
            flash("Åtgärden är tillagd.", "success")
            return redirect(url_for("actions.detail", action_id=action.id))
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
    status = 400 if form.errors else 200
    return render_template(
        "actions/form.html", form=form, action=None, unit=unit, risk=risk, current=None, locked_year=None
    ), status


@blueprint.route("/<id:action_id>/redigera", methods=["GET", "POST"])
def edit(action_id: int):
    action = get_action_or_404(action_id, for_edit=True)
    form = ActionForm(obj=action) if request.method == "GET" else ActionForm()
    _offer_people(form, action.unit, keep=action.responsible)
    if request.method == "GET":
        form.status.data = action.status.value
    if form.validate_on_submit():
        try:
            services.update_action(
                current_user, action, expected_version=form.expected_version(), **_action_fields(form)
            )
            db.session.commit()
            flash("Åtgärden är sparad.", "success")
            return redirect(url_for("actions.detail", action_id=action.id))
        except StaleEditError as error:
            db.session.rollback()
            show_error(form, error)
            action = get_action_or_404(action_id, for_edit=True)
            # What she typed stays; a deliberate second save now goes through against the version she has seen.
            form.version.data = action.version
            return _form_page(form, action, current=action), 409
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
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


def _where_to_create() -> tuple[Unit, Risk | None]:
    """The unit of ?risk= (which the new åtgärd will treat), else ?enhet=, else the user's own unit."""
    risk = None
    if "risk" in request.args:
        risk = get_risk_or_404(parse_id(request.args["risk"]) or abort(404), for_edit=True)
        unit = risk.process.unit
    else:
        unit_id = parse_id(request.args["enhet"]) if "enhet" in request.args else current_user.unit_id
        unit = get_unit_or_404(unit_id or abort(404))
    require(can_contribute_to_unit(current_user, unit.id))
    return unit, risk


def _offer_people(form: ActionForm, unit: Unit, *, keep: User | None = None) -> None:
    """Active people of the unit, and the one already responsible even if she has left."""
    people = db.session.scalars(select(User).where(User.unit_id == unit.id, User.is_active.is_(True)))
    choices = [(u.id, u.name) for u in people]
    if keep is not None and keep.id not in {user_id for user_id, _ in choices}:
        choices.append((keep.id, f"{keep.name} (inaktiv)"))
    form.responsible_id.choices = [NOBODY, *choice_list(sorted(choices, key=lambda choice: swedish_key(choice[1])))]


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
