"""Adding, changing, archiving and deleting risks, and linking them to egenkontroller and åtgärder."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.core.permissions import can_edit_process
from app.core.services import risks as services
from app.core.text import swedish_key
from app.extensions import db
from app.models import Control, Process, QualityArea
from app.risks import blueprint
from app.risks.forms import RiskForm
from app.web.access import (
    get_action_or_404,
    get_control_or_404,
    get_process_or_404,
    get_risk_or_404,
)
from app.web.boundary import flashed, shown_on
from app.web.forms import choice_list
from app.web.lifecycle import Lifecycle, add_lifecycle_routes
from app.web.routing import parse_id


@blueprint.route("/ny", methods=["GET", "POST"])
def create():
    process = get_process_or_404(parse_id(request.args.get("process")), for_edit=True)
    form = RiskForm()
    _offer_choices(form, process)
    if request.method == "GET":
        form.process_id.data = process.id
    if form.validate_on_submit():
        with shown_on(form):
            target = _target_process(form, process)
            risk = services.create_risk(current_user, target, **_risk_fields(form))
            for control in _chosen_controls(form):
                services.link_control(current_user, risk, control)
            flash("Risken är tillagd. Gör en första bedömning.", "success")
            return redirect(url_for("risks.detail", risk_id=risk.id))
    return render_template("risks/form.html", form=form, process=process, risk=None), 400 if form.errors else 200


@blueprint.route("/<id:risk_id>/redigera", methods=["GET", "POST"])
def edit(risk_id: int):
    risk = get_risk_or_404(risk_id, for_edit=True)
    form = RiskForm(obj=risk) if request.method == "GET" else RiskForm()
    _offer_choices(form, risk.process)
    del form.control_ids
    if request.method == "GET":
        form.quality_area.data = risk.quality_area.value if risk.quality_area else ""
    if form.validate_on_submit():
        with shown_on(form):
            services.update_risk(current_user, risk, process=_target_process(form, risk.process), **_risk_fields(form))
            flash("Risken är sparad.", "success")
            return redirect(url_for("risks.detail", risk_id=risk.id))
    return render_template("risks/form.html", form=form, process=risk.process, risk=risk), 400 if form.errors else 200


add_lifecycle_routes(
    blueprint,
    Lifecycle(
        id_name="risk_id",
        load=get_risk_or_404,
        set_archived=services.set_archived,
        delete=services.delete_risk,
        archived="Risken är arkiverad. Historiken finns kvar.",
        restored="Risken är återställd.",
        deleted="Risken är borttagen.",
        after_delete=lambda item: url_for("processes.detail", process_id=item.process_id),
    ),
)


@blueprint.post("/<id:risk_id>/egenkontroller")
def link_control(risk_id: int):
    return _link(risk_id, "control", get_control_or_404, services.link_control)


@blueprint.post("/<id:risk_id>/egenkontroller/<id:control_id>/koppla-bort")
def unlink_control(risk_id: int, control_id: int):
    return _unlink(risk_id, get_control_or_404(control_id), services.unlink_control)


@blueprint.post("/<id:risk_id>/atgarder")
def link_action(risk_id: int):
    return _link(risk_id, "action", get_action_or_404, services.link_action)


@blueprint.post("/<id:risk_id>/atgarder/<id:action_id>/koppla-bort")
def unlink_action(risk_id: int, action_id: int):
    return _unlink(risk_id, get_action_or_404(action_id), services.unlink_action)


def _link(risk_id: int, prefix: str, load, link):
    risk = get_risk_or_404(risk_id, for_edit=True)
    # CSRF is checked for every POST by CSRFProtect; the only input is the id of what to link.
    item_id = parse_id(request.form.get(f"{prefix}-item_id"))
    if item_id is None:
        flash("Välj vad som ska kopplas till risken.", "error")
        return redirect(url_for("risks.detail", risk_id=risk.id))
    with flashed():
        link(current_user, risk, load(item_id))
        flash("Kopplingen är sparad.", "success")
    return redirect(url_for("risks.detail", risk_id=risk.id))


def _unlink(risk_id: int, item, unlink):
    risk = get_risk_or_404(risk_id, for_edit=True)
    unlink(current_user, risk, item)
    flash("Kopplingen är borttagen.", "success")
    return redirect(url_for("risks.detail", risk_id=risk.id))


def _offer_choices(form: RiskForm, process: Process) -> None:
    processes = db.session.scalars(
        select(Process).where(Process.unit_id == process.unit_id, Process.is_archived.is_(False))
    )
    editable = [p for p in processes if can_edit_process(current_user, p)]
    form.process_id.choices = choice_list(sorted(((p.id, p.title) for p in editable), key=lambda c: swedish_key(c[1])))
    if hasattr(form, "control_ids"):
        controls = db.session.scalars(
            select(Control).where(Control.unit_id == process.unit_id, Control.is_archived.is_(False))
        )
        form.control_ids.choices = choice_list(
            sorted(((c.id, c.title) for c in controls), key=lambda c: swedish_key(c[1]))
        )


def _target_process(form: RiskForm, fallback: Process) -> Process:
    if form.process_id.data == fallback.id:
        return fallback
    return get_process_or_404(form.process_id.data, for_edit=True)


def _chosen_controls(form: RiskForm) -> list[Control]:
    return [get_control_or_404(control_id) for control_id in form.control_ids.data or []]


def _risk_fields(form: RiskForm) -> dict:
    return {
        "title": form.title.data,
        "description": form.description.data or "",
        "quality_area": QualityArea(form.quality_area.data) if form.quality_area.data else None,
    }
