"""The start page."""

from __future__ import annotations

from flask import render_template

from app.main import blueprint
from app.main.overview import unit_overviews
from app.years import current_year


@blueprint.get("/")
def index():
    year = current_year()
    return render_template("main/index.html", overviews=unit_overviews(year), year=year)
