"""Planning, changing, archiving and deleting egenkontroller."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.controls import blueprint
from app.controls.forms import NOBODY, ControlForm
from app.core.permissions import can_edit_risk
from app.core.services import controls as services
from app.core.services.risks import link_control
from app.core.text import swedish_key
from app.extensions import db
from app.models import Frequency, Process, Risk, Unit, User
from app.web.access import get_control_or_404, get_risk_or_404, place_for_new_item
from app.web.boundary import shown_on
from app.web.forms import choice_list
from app.web.lifecycle import Lifecycle, add_lifecycle_routes
from app.web.list_filters import people_of_unit


@blueprint.route("/ny", methods=["GET", "POST"])
def create():
    unit, risk = place_for_new_item()
    form = ControlForm()
    _offer_choices(form, unit, exclude_risk=risk)
    if request.method == "GET" and any(choice.value == current_user.id for choice in form.responsible_id.choices):
        form.responsible_id.data = current_user.id
    if form.validate_on_submit():
        with shown_on(form):
            control = services.create_control(current_user, unit, **_control_fields(form))
            for followed in ([risk] if risk else []) + _chosen_risks(form):
                link_control(current_user, followed, control)
            flash("Egenkontrollen är tillagd. Registrera varje genomförande på dess sida.", "success")
            return redirect(url_for("controls.detail", control_id=control.id))
    status = 400 if form.errors else 200
    return render_template("controls/form.html", form=form, control=None, unit=unit, risk=risk), status


@blueprint.route("/<id:control_id>/redigera", methods=["GET", "POST"])
def edit(control_id: int):
    control = get_control_or_404(control_id, for_edit=True)
    form = ControlForm(obj=control) if request.method == "GET" else ControlForm()
    del form.risk_ids  # links are changed from each risk's page, where their permissions are checked
    _offer_choices(form, control.unit, keep=control.responsible)
    if request.method == "GET":
        form.frequency.data = control.frequency.value
    if form.validate_on_submit():
        with shown_on(form):
            services.update_control(current_user, control, **_control_fields(form))
            flash("Egenkontrollen är sparad.", "success")
            return redirect(url_for("controls.detail", control_id=control.id))
    status = 400 if form.errors else 200
    return render_template("controls/form.html", form=form, control=control, unit=control.unit, risk=None), status


add_lifecycle_routes(
    blueprint,
    Lifecycle(
        id_name="control_id",
        load=get_control_or_404,
        set_archived=services.set_archived,
        delete=services.delete_control,
        archived="Egenkontrollen är arkiverad. Den och dess genomföranden finns kvar i historiken.",
        restored="Egenkontrollen är återställd.",
        deleted="Egenkontrollen är borttagen.",
        after_delete=lambda item: url_for("controls.index"),
    ),
)


def _offer_choices(form: ControlForm, unit: Unit, *, keep: User | None = None, exclude_risk: Risk | None = None):
    """Active people of the unit (and the one already responsible), and the risks the user may link."""
    form.responsible_id.choices = [NOBODY, *people_of_unit(unit.id, keep=keep)]
    if form.risk_ids is not None:  # deleted from the edit form
        risks = db.session.scalars(
            select(Risk)
            .join(Risk.process)
            .where(Process.unit_id == unit.id, Risk.is_archived.is_(False), Process.is_archived.is_(False))
            .options(selectinload(Risk.process))
        )
        form.risk_ids.choices = choice_list(sorted(
            (
                (r.id, f"{r.process.title} › {r.title}")
                for r in risks
                if r != exclude_risk and can_edit_risk(current_user, r)
            ),
            key=lambda choice: swedish_key(choice[1]),
        ))


def _chosen_risks(form: ControlForm) -> list[Risk]:
    return [get_risk_or_404(risk_id, for_edit=True) for risk_id in form.risk_ids.data or []]


def _control_fields(form: ControlForm) -> dict:
    responsible_id = form.responsible_id.data
    return {
        "title": form.title.data,
        "description": form.description.data or "",
        "method": form.method.data or "",
        "frequency": Frequency(form.frequency.data),
        "responsible": db.session.get(User, responsible_id) if responsible_id else None,
    }

