"""The unit's pages: its riskmatris for a year."""

from __future__ import annotations

from flask import render_template, request

from app.core.heat_map import heat_map
from app.units import blueprint
from app.web.access import get_unit_or_404
from app.web.routing import requested_year

# Larger ids overflow the database's integer column: answer 404 before asking it.


@blueprint.get("/<id:unit_id>/riskmatris")
def matrix(unit_id: int):
    unit = get_unit_or_404(unit_id)
    return render_template("units/matrix.html", heat_map=heat_map(unit, requested_year(request.args)))
