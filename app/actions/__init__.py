"""Åtgärder: corrective actions, their tidsplan and follow-up."""

from flask import Blueprint

blueprint = Blueprint("actions", __name__, url_prefix="/atgarder")
