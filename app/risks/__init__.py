"""Risks: the list, a risk's page with its yearly assessment, and managing risks and their links."""

from flask import Blueprint

blueprint = Blueprint("risks", __name__, url_prefix="/risker")
