"""Units: their pages and the year's risk matrix."""

from flask import Blueprint

blueprint = Blueprint("units", __name__, url_prefix="/enheter")
