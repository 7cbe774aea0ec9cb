"""Importing a kvalitetsplan from Excel or CSV: upload, preview, confirm.

The upload is kept in the database between the steps (the app runs as several stateless servers). The preview is
the real import run inside the transaction and rolled back, so it shows exactly what confirming will do; confirming
runs it again and commits once, so an import is all or nothing.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import delete, select

from app.core.errors import LockedYearError
from app.core.permissions import can_manage_unit
from app.core.unit_year import assert_year_open
from app.excel.apply import VERDICTS, ImportResult, import_file
from app.extensions import db
from app.models import PendingImport, Unit, utcnow
from app.plans import blueprint
from app.web.access import get_unit_or_404, require
from app.web.forms import BaseForm

KEEP_PENDING = timedelta(days=1)
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
        result = _preview(unit, year, content, filename)
        if result.ok:
            pending = _store(unit, year, content, filename)
            db.session.commit()
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
    filename = pending.filename
    result = _preview(unit, year, pending.content, filename)
    return _preview_page(unit, year, token, filename, result, 200 if result.ok else 400)


@blueprint.post("/import/<token>")
def import_confirm(unit_id: int, year: int, token: str):
    unit = get_unit_or_404(unit_id, for_edit=True)
    pending = _pending_or_404(unit, year, token)
    filename, content = pending.filename, pending.content
    # Claiming the upload first makes a double submit (or a second server) find nothing to import.
    claimed = db.session.execute(delete(PendingImport).where(PendingImport.id == pending.id)).rowcount
    if not claimed:
        abort(404)
    result = import_file(current_user, unit, year, content, filename, max_rows=_max_rows())
    if not result.ok:
        db.session.rollback()
        return _preview_page(unit, year, token, filename, result, 400)
    db.session.commit()
    flash(f"Importen av {filename} är klar: {result.summary()}.", "success")
    return redirect(url_for("plans.year", unit_id=unit.id, year=year))


def _preview(unit: Unit, year: int, content: bytes, filename: str) -> ImportResult:
    """What importing the file would do, with nothing kept."""
    try:
        return import_file(current_user, unit, year, content, filename, max_rows=_max_rows())
    finally:
        db.session.rollback()


def _preview_page(unit: Unit, year: int, token: str, filename: str, result: ImportResult, status: int):
    return render_template("plans/import_preview.html", unit=unit, year=year, token=token, filename=filename,
                           result=result, verdicts=VERDICTS, form=ConfirmImportForm()), status


def _store(unit: Unit, year: int, content: bytes, filename: str) -> PendingImport:
    """Keep the upload for its preview; uploads nobody confirmed within a day are removed now."""
    db.session.execute(delete(PendingImport).where(PendingImport.created_at < utcnow() - KEEP_PENDING))
    pending = PendingImport(unit_id=unit.id, year=year, user_id=current_user.id, filename=filename,
                            content=content, sha256=hashlib.sha256(content).hexdigest())
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


def _locked(unit: Unit, year: int) -> str | None:
    try:
        assert_year_open(unit.id, year)
    except LockedYearError as error:
        return error.message
    return None


def _max_rows() -> int:
    return current_app.config.get("IMPORT_MAX_ROWS", 20_000)
