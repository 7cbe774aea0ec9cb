"""The kvalitetssamordnare sets a year's matrix: scale 3×3 to 6×6, labels, level bands and colours."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from app.core.errors import ValidationError
from app.core.services.matrices import assessments_outside_scale, set_matrix
from app.core.unit_year import find_plan, matrix_for
from app.models import Role
from app.units import blueprint
from app.web.access import get_unit_or_404, require
from app.web.boundary import shown_on
from app.web.forms import BaseForm
from app.web.routing import requested_year


class MatrixForm(BaseForm):
    likelihood_labels = TextAreaField("Sannolikhet, ett steg per rad (lägst först)", validators=[DataRequired()])
    consequence_labels = TextAreaField("Konsekvens, ett steg per rad (lägst först)", validators=[DataRequired()])
    bands = TextAreaField("Risknivåer, en per rad: namn; från riskvärde; färg", validators=[DataRequired()])


@blueprint.route("/<id:unit_id>/riskmatris/redigera", methods=["GET", "POST"])
def matrix_edit(unit_id: int):
    unit = get_unit_or_404(unit_id, for_edit=True)
    require(current_user.role is Role.ADMIN)
    year = requested_year(request.args)
    plan = find_plan(unit.id, year)
    matrix = matrix_for(unit, year)
    form = MatrixForm()
    if request.method == "GET":
        form.likelihood_labels.data = "\n".join(matrix.likelihood_labels)
        form.consequence_labels.data = "\n".join(matrix.consequence_labels)
        form.bands.data = "\n".join(f"{b['name']}; {b['min']}; {b['colour']}" for b in matrix.bands)
    elif form.validate_on_submit():
        with shown_on(form):
            set_matrix(
                current_user,
                unit,
                year,
                likelihood_labels=form.likelihood_labels.data.splitlines(),
                consequence_labels=form.consequence_labels.data.splitlines(),
                bands=_parse_bands(form.bands.data),
            )
            flash(f"Riskmatrisen för {year} är sparad.", "success")
            return redirect(url_for("units.matrix_edit", unit_id=unit.id, ar=year))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "units/matrix_edit.html",
        unit=unit,
        year=year,
        form=form,
        matrix=matrix,
        is_locked=bool(plan and plan.is_locked),
        flagged=assessments_outside_scale(unit, year),
    ), status


def _parse_bands(text: str) -> list[dict]:
    bands = []
    for number, line in enumerate((line for line in text.splitlines() if line.strip()), start=1):
        parts = [part.strip() for part in line.split(";")]
        if len(parts) != 3 or not parts[1].isdigit():
            raise ValidationError(f"Rad {number} i risknivåerna ska se ut som: Hög; 8; #ef6c00", field="bands")
        bands.append({"name": parts[0], "min": int(parts[1]), "colour": parts[2]})
    return bands
