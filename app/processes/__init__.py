"""Processes: a unit's process tree and everything hanging from each process."""

from flask import Blueprint

blueprint = Blueprint("processes", __name__, url_prefix="/processer")
