"""Egenkontroller: planned self-inspections and the checks performed under them."""

from flask import Blueprint

blueprint = Blueprint("controls", __name__, url_prefix="/egenkontroller")
