"""A unit's year: the kvalitetsplan page, its Excel export and import, and (later) rollover and locking."""

from flask import Blueprint

blueprint = Blueprint("plans", __name__, url_prefix="/enheter/<id:unit_id>/ar/<int(min=2000,max=2100):year>")
