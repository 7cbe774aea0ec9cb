"""Filters and globals the templates share: dates, levels, enum labels."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from app.years import current_year


def iso_date(value: date | datetime | None) -> str:
    """ISO 8601 dates, as Swedish authorities write them."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def text_on(colour: str) -> str:
    """Black or white text, whichever reads better on a level colour."""
    colour = colour.lstrip("#")
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return "#000000" if luminance > 150 else "#ffffff"


def register(app: Flask) -> None:
    app.add_template_filter(iso_date, "iso_date")
    app.add_template_filter(text_on, "text_on")
    app.add_template_global(current_year, "current_year")
