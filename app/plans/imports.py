"""Importing a kvalitetsplan from Excel or CSV: upload, preview, confirm.

The upload is kept in the database between the steps (the app runs as several stateless servers). The upload runs
the real import and rolls it back, and keeps what it would do as the preview (app/plans/import_preview.py), so the
preview page only reads: nobody holds a write lock while the person reads it. Confirming runs the import again in
the request's one transaction, kept only when it gives the preview the person read; when the register has changed so
that it would do something else, nothing of it is saved and the new preview is kept and shown instead. The confirm
form carries the person's choices: a side for every conflict between the appendix and the Register (required), and
the items no longer in the file to archive (none by default).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import cast

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import CursorResult, Delete, Update, delete, select, update

from app.core.errors import LockedYearError
from app.core.permissions import can_manage_unit
from app.core.unit_year import assert_year_open
from app.excel.importing.apply import import_file
from app.excel.importing.result import APPENDIX, REGISTER, VERDICTS, ImportChoices, ImportResult
from app.extensions import db
from app.models import PendingImport, Unit, utcnow
from app.plans import blueprint
from app.plans.import_preview import Preview
from app.web.access import get_unit_or_404, require
from app.web.forms import BaseForm

KEEP_PENDING = timedelta(days=1)
OUTCOME_CHANGED = ("Registret har ändrats sedan förhandsgranskningen, så importen skulle nu ge ett annat resultat än "
                   "det du såg. Ingenting har sparats. Granska den nya förhandsgranskningen nedan innan du bekräftar.")
UNRESOLVED = "Välj för varje konflikt om bilagans eller registrets värde ska gälla. Ingenting har sparats."
ACCEPTED = ".xlsx,.csv,.tsv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


class ImportForm(BaseForm):
    file = FileField("Fil att importera", validators=[FileRequired("Välj en fil att importera.")])


class ConfirmImportForm(BaseForm):
    """Only the CSRF token travels."""


@blueprint.app_context_processor
def import_helpers() -> dict:
    return {"can_import_to": can_import_to}


def can_import_to(unit: Unit) -> bool:
    """Whether the signed-in user may import into the unit (enhetschef or kvalitetssamordnare)."""
    return current_user.is_authenticated and can_manage_unit(current_user, unit.id)


@blueprint.route("/import", methods=["GET", "POST"])
def import_upload(unit_id: int, year: int):
    unit = get_unit_or_404(unit_id, for_edit=True)
    form, result, locked = ImportForm(), None, _locked(unit, year)
    if locked is None and form.validate_on_submit():
        upload = form.file.data
        content, filename = upload.read(), (upload.filename or "fil")[-255:]
        result = _rehearse(unit, year, content, filename)
        if result.ok:
            pending = _store(unit, year, content, filename, Preview.of(result))
            return redirect(url_for("plans.import_preview", unit_id=unit.id, year=year, token=pending.token))
    status = 400 if form.errors or (result is not None and not result.ok) else 200
    if locked and request.method == "POST":
        status = 409
    return render_template("plans/import_upload.html", unit=unit, year=year, form=form, result=result,
                           locked=locked, accepted=ACCEPTED), status


@blueprint.get("/import/<token>")
def import_preview(unit_id: int, year: int, token: str):
    unit = get_unit_or_404(unit_id, for_edit=True)
    pending = _pending_or_404(unit, year, token)
    preview = Preview(pending.preview)
    return _preview_page(unit, year, token, pending.filename, preview, 200 if preview.ok else 400)


@blueprint.post("/import/<token>")
def import_confirm(unit_id: int, year: int, token: str):
    unit = get_unit_or_404(unit_id, for_edit=True)
    pending = _pending_or_404(unit, year, token)
    pending_id, filename, content, shown = pending.id, pending.filename, pending.content, pending.preview
    choices = _choices(Preview(shown))
    if choices is None:
        flash(UNRESOLVED, "error")
        return redirect(url_for("plans.import_preview", unit_id=unit.id, year=year, token=token))
    # Claiming the upload first makes a double submit (or a second server) find nothing to import.
    claimed = _rows_touched(delete(PendingImport).where(PendingImport.id == pending_id))
    if not claimed:
        abort(404)
    result = import_file(current_user, unit, year, content, filename, max_rows=_max_rows(), choices=choices)
    preview = Preview.of(result)
    if preview.data == shown:
        if result.ok:  # the request commits it, in this one transaction
            flash(f"Importen av {filename} är klar: {result.summary()}.", "success")
            return redirect(url_for("plans.year", unit_id=unit.id, year=year))
        return _preview_page(unit, year, token, filename, preview, 400)  # the errors the person already read
    # Not what the person read: nothing of it is kept, the upload waits again with the preview it would give now.
    db.session.rollback()
    kept = _rows_touched(update(PendingImport).where(PendingImport.id == pending_id).values(preview=preview.data))
    if not kept:
        abort(404)
    flash(OUTCOME_CHANGED, "error")
    return redirect(url_for("plans.import_preview", unit_id=unit.id, year=year, token=token))


def _choices(shown: Preview) -> ImportChoices | None:
    """What the person chose on the preview: the items to archive, a side for every conflict (None when a conflict
    was left unresolved), and the egenkontroll a bare ◆ stands for. Refs the preview did not list are ignored."""
    listed = {item.ref for item in shown.missing}
    archive = frozenset(ref for ref in request.form.getlist("arkivera") if ref in listed)
    resolutions = {}
    for conflict in shown.conflicts:
        side = request.form.get(f"konflikt-{conflict.key}")
        if side not in (APPENDIX, REGISTER):
            return None
        resolutions[conflict.key] = side
    for question in shown.questions:  # optional: unanswered, the ◆ is left out as the preview says
        answer = request.form.get(f"fraga-{question.key}")
        if answer in {ref for ref, _ in question.options}:
            resolutions[question.key] = answer
    return ImportChoices(archive, resolutions)


def _rehearse(unit: Unit, year: int, content: bytes, filename: str) -> ImportResult:
    """What importing the file would do, with nothing kept."""
    try:
        return import_file(current_user, unit, year, content, filename, max_rows=_max_rows())
    finally:
        db.session.rollback()


def _preview_page(unit: Unit, year: int, token: str, filename: str, preview: Preview, status: int):
    return render_template("plans/import_preview.html", unit=unit, year=year, token=token, filename=filename,
                           result=preview, verdicts=VERDICTS, form=ConfirmImportForm()), status


def _store(unit: Unit, year: int, content: bytes, filename: str, preview: Preview) -> PendingImport:
    """Keep the upload with its preview; uploads nobody confirmed within a day are removed now."""
    db.session.execute(delete(PendingImport).where(PendingImport.created_at < utcnow() - KEEP_PENDING))
    pending = PendingImport(unit_id=unit.id, year=year, user_id=current_user.id, filename=filename,
                            content=content, sha256=hashlib.sha256(content).hexdigest(), preview=preview.data)
    db.session.add(pending)
    db.session.flush()
    return pending


def _pending_or_404(unit: Unit, year: int, token: str) -> PendingImport:
    """The upload behind a preview URL: only its uploader may see or confirm it."""
    pending = db.session.scalar(select(PendingImport).where(
        PendingImport.token == token[:64], PendingImport.unit_id == unit.id, PendingImport.year == year))
    if pending is None or pending.created_at < utcnow() - KEEP_PENDING:
        abort(404)
    require(pending.user_id == current_user.id)
    if hashlib.sha256(pending.content).hexdigest() != pending.sha256:
        abort(404)  # damaged on the way; the user uploads again
    return pending


def _rows_touched(statement: Delete | Update) -> int:
    """How many rows the statement changed: 0 when another request claimed the upload first."""
    return cast(CursorResult, db.session.execute(statement)).rowcount


def _locked(unit: Unit, year: int) -> str | None:
    try:
        assert_year_open(unit.id, year)
    except LockedYearError as error:
        return error.message
    return None


def _max_rows() -> int:
    return current_app.config.get("IMPORT_MAX_ROWS", 20_000)
