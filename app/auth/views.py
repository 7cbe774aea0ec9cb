"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth import blueprint
from app.auth.forms import LoginForm
from app.auth.services import find_user_by_email, normalise_email
from app.auth.throttle import is_throttled, record_attempt

FAILED_LOGIN = "Fel e-postadress eller lösenord."
THROTTLED = "För många misslyckade inloggningsförsök. Vänta en kvart och försök igen."
# Checked when no account matches, so a wrong address costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("no account has this password")


@blueprint.route("/logga-in", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    email, address = normalise_email(form.email.data), request.remote_addr or "okänd"
    if is_throttled(email, address):
        flash(THROTTLED, "error")
        return render_template("auth/login.html", form=form), 429
    user = find_user_by_email(email)
    password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, form.password.data)
    if user is None or not password_ok or not user.is_active:
        record_attempt(email, address, succeeded=False)
        flash(FAILED_LOGIN, "error")
        return render_template("auth/login.html", form=form), 200
    record_attempt(email, address, succeeded=True)
    # A new session at sign-in: nothing set before authentication survives into it.
    session.clear()
    login_user(user)
    return redirect(_safe_next(request.args.get("next")))


@blueprint.post("/logga-ut")
def logout():
    logout_user()
    session.clear()
    flash("Du är utloggad.", "info")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str:
    """Only a path on this site; an absolute or scheme-relative URL would make login an open redirect."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("main.index")
