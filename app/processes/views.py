"""The process tree of each unit, a process's page, and adding, changing, archiving and deleting processes."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.errors import ValidationError
from app.core.permissions import can_edit_process, can_manage_unit, readable_unit_ids
from app.core.process_tree import process_tree
from app.core.services import processes as services
from app.core.text import swedish_key
from app.core.unit_year import matrices_for
from app.extensions import db
from app.models import Process, Unit, User
from app.processes import blueprint
from app.processes.forms import NO_OWNER, NO_PARENT, ProcessForm
from app.web.access import get_process_or_404, get_unit_or_404
from app.web.boundary import flashed, shown_on
from app.web.forms import choice_list
from app.web.lifecycle import Lifecycle, add_lifecycle_routes
from app.web.list_filters import filtered_unit_ids, people_of_unit
from app.web.routing import MAX_ID, requested_year

# Larger ids overflow the database's integer column: answer 404 before asking it.


@blueprint.get("/")
def index():
    year = requested_year(request.args)
    chosen = _requested_id("enhet")
    readable = readable_unit_ids(current_user)
    unit_ids = filtered_unit_ids(get_unit_or_404(chosen).id if chosen else None, readable)
    show_archived = request.args.get("arkiverade") == "1"
    units = _tree_order(
        db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)).options(selectinload(Unit.parent)))
    )
    conditions = [Process.unit_id.in_(unit_ids)] + ([] if show_archived else [Process.is_archived.is_(False)])
    processes = db.session.scalars(select(Process).where(*conditions).options(selectinload(Process.owner))).all()
    by_unit: dict[int, list[Process]] = {}
    for process in processes:
        by_unit.setdefault(process.unit_id, []).append(process)
    sections = [(unit, process_tree(by_unit.get(unit.id, []))) for unit in units]
    return render_template(
        "processes/index.html",
        year=year,
        chosen=chosen,
        show_archived=show_archived,
        sections=sections,
        moves=_possible_moves([row.process for _, rows in sections for row in rows]),
        summaries=services.risk_summaries([p.id for p in processes], year),
        matrices=matrices_for(unit_ids, year),
        filter_units=_filter_units(readable),
        managed={unit.id for unit in units if can_manage_unit(current_user, unit.id)},
    )


@blueprint.get("/<id:process_id>")
def detail(process_id: int):
    process = get_process_or_404(process_id)
    page = services.load_process_page(process, requested_year(request.args))
    return render_template(
        "processes/detail.html", page=page, can_manage=can_manage_unit(current_user, process.unit_id)
    )


@blueprint.route("/ny", methods=["GET", "POST"])
def create():
    parent_id = _requested_id("parent")
    parent = get_process_or_404(parent_id) if parent_id else None
    unit_id = _requested_id("enhet") or (parent.unit_id if parent else current_user.unit_id)
    unit = get_unit_or_404(unit_id, for_edit=True)
    form = ProcessForm()
    _offer_choices(form, unit, None)
    if request.method == "GET" and parent is not None and parent.unit_id == unit.id:
        form.parent.data = parent.id
    if form.validate_on_submit():
        with shown_on(form):
            process = services.create_process(current_user, unit, **_process_fields(form, unit, None))
            flash("Processen är tillagd.", "success")
            return redirect(url_for("processes.detail", process_id=process.id))
    return render_template("processes/form.html", form=form, unit=unit, process=None), 400 if form.errors else 200


@blueprint.route("/<id:process_id>/redigera", methods=["GET", "POST"])
def edit(process_id: int):
    process = get_process_or_404(process_id, for_edit=True)
    if request.method == "GET":
        form = ProcessForm(
            title=process.title,
            description=process.description,
            parent=process.parent_id,
            owner=process.owner_id,
            sort_order=process.sort_order,
        )
    else:
        form = ProcessForm()
    _offer_choices(form, process.unit, process)
    if form.validate_on_submit():
        with shown_on(form):
            services.update_process(current_user, process, **_process_fields(form, process.unit, process))
            flash("Processen är sparad.", "success")
            return redirect(url_for("processes.detail", process_id=process.id))
    unit = process.unit
    return render_template("processes/form.html", form=form, unit=unit, process=process), 400 if form.errors else 200


MOVES = {"upp": services.UP, "ned": services.DOWN}


@blueprint.post("/<id:process_id>/flytta")
def move(process_id: int):
    """Move a process up or down among its siblings (the plan's order, which the export follows)."""
    process = get_process_or_404(process_id, for_edit=True)
    direction = MOVES.get(request.form.get("riktning", ""))
    if direction is None:
        abort(400)
    with flashed() as refusal:
        services.move_process(current_user, process, direction)
    if not refusal.error:
        where = "uppåt" if direction == services.UP else "nedåt"
        flash(f"Processen {process.title} är flyttad {where}.", "success")
    year = request.form.get("ar", type=int)
    unit_filter = request.form.get("enhet", type=int)
    back = url_for(
        "processes.index",
        enhet=unit_filter if unit_filter and 0 < unit_filter <= MAX_ID else None,
        ar=year if year and 0 < year <= 9999 else None,
        _anchor=f"process-{process.id}",
    )
    return redirect(back)


add_lifecycle_routes(
    blueprint,
    Lifecycle(
        id_name="process_id",
        load=get_process_or_404,
        set_archived=services.set_archived,
        delete=services.delete_process,
        archived="Processen är arkiverad. Historiken finns kvar.",
        restored="Processen är återställd.",
        deleted="Processen är borttagen.",
        after_delete=lambda item: url_for("processes.index", enhet=item.unit_id),
    ),
)


def _possible_moves(processes: list[Process]) -> dict[int, tuple[bool, bool]]:
    """Per process the user may edit: whether it can move (up, down) among its active siblings, as shown."""
    siblings: dict[tuple[int, int | None], list[Process]] = {}
    for process in processes:  # in tree order, so each list is in the order shown
        if not process.is_archived:
            siblings.setdefault((process.unit_id, process.parent_id), []).append(process)
    moves: dict[int, tuple[bool, bool]] = {}
    for level in siblings.values():
        for index, process in enumerate(level):
            if len(level) > 1 and can_edit_process(current_user, process):
                moves[process.id] = (index > 0, index < len(level) - 1)
    return moves


def _requested_id(name: str) -> int | None:
    """An id from the query string: None when absent or not a number, 404 when no row could have it."""
    value = request.args.get(name, type=int)
    if value is not None and not 0 < value <= MAX_ID:
        abort(404)
    return value


def _tree_order(units) -> list[Unit]:
    """Units as the organisation reads: each followed by the units below it, siblings in Swedish order."""
    units = list(units)
    ids = {unit.id for unit in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id if unit.parent_id in ids else None, []).append(unit)
    ordered: list[Unit] = []

    def visit(parent_id: int | None) -> None:
        for unit in sorted(children.get(parent_id, []), key=lambda u: swedish_key(u.name)):
            ordered.append(unit)
            visit(unit.id)

    visit(None)
    return ordered


def _filter_units(readable: set[int]) -> list[Unit]:
    return sorted(db.session.scalars(select(Unit).where(Unit.id.in_(readable))), key=lambda u: swedish_key(u.name))


def _offer_choices(form: ProcessForm, unit: Unit, process: Process | None) -> None:
    """Parents in tree order (not the process itself or anything under it); the unit's active people as owners."""
    processes = db.session.scalars(select(Process).where(Process.unit_id == unit.id)).all()
    excluded = _branch_ids(processes, process.id) if process else set()
    current_parent_id = process.parent_id if process else None
    manager = can_manage_unit(current_user, unit.id)
    parents = [
        row for row in process_tree(list(processes))
        if row.process.id not in excluded
        and (row.process.id == current_parent_id
             or (not row.process.is_archived and (manager or can_edit_process(current_user, row.process))))
    ]
    may_be_top_level = manager or (process is not None and process.parent_id is None)
    form.parent.choices = ([NO_PARENT] if may_be_top_level else []) + choice_list(
        (row.process.id, "\u2003" * row.depth + row.process.title) for row in parents
    )
    # An inactivated owner stays on offer for her own process, so saving other fields does not drop her.
    form.owner.choices = [NO_OWNER, *people_of_unit(unit.id, keep=process.owner if process else None)]


def _branch_ids(processes: Sequence[Process], root_id: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for each in processes:
        children.setdefault(each.parent_id, []).append(each.id)
    branch, frontier = {root_id}, [root_id]
    while frontier:
        frontier = [child for node in frontier for child in children.get(node, [])]
        branch.update(frontier)
    return branch


def _process_fields(form: ProcessForm, unit: Unit, process: Process | None) -> dict:
    return {
        "title": form.title.data,
        "description": form.description.data or "",
        "parent": _chosen_parent(form.parent.data, unit, process),
        "owner": _chosen_owner(form.owner.data, process),
        "sort_order": form.sort_order.data,  # empty: a new process goes last, an edited one keeps its place
    }


def _chosen_parent(parent_id: int | None, unit: Unit, process: Process | None) -> Process | None:
    """The chosen parent; a processägare may only place a process under one she owns, and never at the top."""
    unchanged = process is not None and parent_id == process.parent_id
    parent = db.session.get(Process, parent_id) if parent_id is not None else None
    if parent_id is not None and parent is None:
        raise ValidationError("Den valda överordnade processen finns inte.", field="parent")
    if unchanged or can_manage_unit(current_user, unit.id):
        return parent
    if parent is None:
        raise ValidationError(
            "Bara enhetschef eller kvalitetssamordnare kan göra en process till huvudprocess.", field="parent"
        )
    if parent.unit_id == unit.id and not can_edit_process(current_user, parent):
        raise ValidationError("Du kan bara lägga processen under en process som du är processägare för.",
                              field="parent")
    return parent


def _chosen_owner(owner_id: int | None, process: Process | None) -> User | None:
    owner = db.session.get(User, owner_id) if owner_id is not None else None
    if owner_id is not None and owner is None:
        raise ValidationError("Den valda processägaren finns inte.", field="owner")
    if owner is not None and not owner.is_active and (process is None or process.owner_id != owner.id):
        raise ValidationError(f"{owner.name} är inaktiverad och kan inte bli processägare.", field="owner")
    return owner
