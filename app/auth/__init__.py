"""Signing in, accounts and who may do what."""

from flask import Blueprint

blueprint = Blueprint("auth", __name__)
