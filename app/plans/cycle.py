"""The yearly cycle in the browser: compare years, lock and unlock a year, carry open risks into the next."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.permissions import can_manage_unit
from app.core.services.rollover import preview_rollover, rollover
from app.core.unit_year import find_plan
from app.core.year_diff_loader import load_diff
from app.core.years import today, validate_year
from app.models import Role
from app.plans import blueprint
from app.plans.forms import ConfirmForm, UnlockForm
from app.plans.locking import lock_year, unlock_year
from app.plans.review import load_review
from app.web.access import get_unit_or_404, require
from app.web.boundary import flashed, shown_on


@blueprint.get("/arsgenomgang")
def review(unit_id: int, year: int):
    unit = get_unit_or_404(unit_id)
    plan = find_plan(unit.id, year)
    return render_template(
        "plans/review.html",
        unit=unit,
        year=year,
        review=load_review(unit, year, today()),
        plan=plan,
        can_manage=can_manage_unit(current_user, unit.id),
        lock_form=ConfirmForm(),
    )


@blueprint.get("/forandring")
def changes(unit_id: int, year: int):
    unit = get_unit_or_404(unit_id)
    compare = request.args.get("jamfor", type=int)
    before_year = compare if compare is not None and 2000 <= compare < year else year - 1
    diff = load_diff(unit, before_year, year)
    return render_template("plans/changes.html", unit=unit, year=year, diff=diff)


@blueprint.post("/las")
def lock(unit_id: int, year: int):
    unit = get_unit_or_404(unit_id, for_edit=True)
    with flashed():
        lock_year(current_user, unit, year)
        flash(f"År {year} är fastställt och låst. Registret för {year} kan inte längre ändras.", "success")
    return redirect(url_for("plans.year", unit_id=unit.id, year=year))


@blueprint.route("/las-upp", methods=["GET", "POST"])
def unlock(unit_id: int, year: int):
    unit = get_unit_or_404(unit_id, for_edit=True)
    require(current_user.role is Role.ADMIN)
    form = UnlockForm()
    if form.validate_on_submit():
        with shown_on(form):
            unlock_year(current_user, unit, year, reason=form.reason.data)
            flash(f"År {year} är upplåst. Skälet är sparat i historiken.", "success")
            return redirect(url_for("plans.year", unit_id=unit.id, year=year))
    status = 400 if request.method == "POST" else 200
    return render_template("plans/unlock.html", unit=unit, year=year, form=form, plan=find_plan(unit.id, year)), status


@blueprint.route("/overfor", methods=["GET", "POST"])
def rollover_to_next(unit_id: int, year: int):
    """Carry the open risks of `year` into year + 1: a preview first, then the real thing."""
    unit = get_unit_or_404(unit_id, for_edit=True)
    validate_year(year + 1)
    form = ConfirmForm()
    if form.validate_on_submit():
        with flashed():
            result = rollover(current_user, unit, year, year + 1)
            flash(
                f"{result.carried_count} öppna risker fördes över till {year + 1} med status Kvarstår. "
                f"{len(result.left_behind)} avslutade risker lämnades kvar i {year}.",
                "success",
            )
            return redirect(url_for("plans.year", unit_id=unit.id, year=year + 1))
    preview = preview_rollover(unit, year, year + 1)
    return render_template("plans/rollover.html", unit=unit, year=year, preview=preview, form=form)
