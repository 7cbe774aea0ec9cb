"""A unit's year: the kvalitetsplan page, and its Excel export for anyone who may read the unit."""

from __future__ import annotations

import io

from flask import render_template, request, send_file
from flask_login import current_user

from app.core.permissions import can_manage_unit
from app.core.year_plan import summarize
from app.core.year_plan_loader import load_plan_data
from app.core.years import today
from app.excel.export.locked import plan_for_export
from app.excel.export.workbook import ExportOptions, write_workbook
from app.models import PlanStatus, Role
from app.plans import blueprint
from app.plans.review import review_from
from app.web.access import get_unit_or_404

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blueprint.get("/")
def year(unit_id: int, year: int):
    unit = get_unit_or_404(unit_id)
    data = load_plan_data(unit, year)
    return render_template(
        "plans/year.html",
        unit=unit,
        year=year,
        plan=data,
        summary=summarize(data, today()),
        is_locked=data.status is PlanStatus.LOCKED,
        can_manage=can_manage_unit(current_user, unit.id),
        is_admin=current_user.role is Role.ADMIN,
        review=review_from(data, unit, today()),
    )


@blueprint.get("/export.xlsx")
def export(unit_id: int, year: int):
    """The workbook as a download; ?riskvarde=1&status=1&ansvarig=1 add the optional columns, ?utan_uppfoljning=1
    leaves out the åtgärder's follow-up and the egenkontroller's latest check."""
    unit = get_unit_or_404(unit_id)
    options = ExportOptions(score=_flag("riskvarde"), status=_flag("status"), responsible=_flag("ansvarig"),
                            follow_up=not _flag("utan_uppfoljning"))
    # The rows stream to the zip as they are made; the finished file (some MB for 100,000 lines) is held in memory.
    output = io.BytesIO()
    write_workbook(plan_for_export(unit, year), output, options)
    output.seek(0)
    response = send_file(
        output,
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=f"Kvalitetsplan-{unit.code}-{year}.xlsx",
        max_age=0,
    )
    # The register is internal: no shared cache may keep a copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _flag(name: str) -> bool:
    return request.args.get(name, "") in ("1", "on", "ja", "true")
