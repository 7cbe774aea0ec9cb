"""The start page ("Mitt arbete"), the overview, error pages and template helpers."""

from flask import Blueprint

blueprint = Blueprint("main", __name__)
