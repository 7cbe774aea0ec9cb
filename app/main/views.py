"""The start page "Mitt arbete" and the read-only overview of every readable unit."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.core.permissions import readable_unit_ids
from app.core.years import current_year, today
from app.main import blueprint
from app.main.my_work import load_my_work
from app.main.overview import unit_overviews


@blueprint.get("/")
def index():
    work = load_my_work(current_user, current_year(), today())
    return render_template("main/my_work.html", work=work, year=work.year)


@blueprint.get("/oversikt")
def overview():
    year = current_year()
    overviews = unit_overviews(year, readable_unit_ids(current_user))
    return render_template("main/overview.html", overviews=overviews, year=year)
