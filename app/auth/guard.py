"""Every page needs a signed-in user, except the few listed here (deny by default); input is sane before any view."""

from __future__ import annotations

from flask import Flask, abort, request
from flask_login import current_user

from app.extensions import login_manager

PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})


def register(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Logga in för att fortsätta."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @app.before_request
    def refuse_nul_bytes():
        # No form or query has a use for NUL, and PostgreSQL refuses it in text: answer 400, not 500.
        values = [*request.args.values(), *request.form.values()]
        if any("\x00" in value for value in values):
            abort(400)

    @app.before_request
    def require_login():
        # No endpoint means no route matched: let the 404 page answer.
        if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return None
