"""The request boundary: the one place a request commits or rolls back, and where every error becomes a response.

A view parses its input, calls services and returns; it never commits. After the view, a write request whose
response is a success (below 400) is committed here, once; anything else is rolled back, so a refused or failed
request leaves nothing behind. A DomainError a view does not show on its form becomes a Swedish page (or a JSON
problem for a JSON request) with a 4xx status. An unexpected error is a Swedish 500 page without a stack trace.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, Response, flash, g, jsonify, render_template, request, session
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from app.core.errors import (
    DomainError,
    LockedYearError,
    PermissionDenied,
    StaleEditError,
    ValidationError,
)
from app.extensions import db
from app.web.forms import show_error

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

MESSAGES = {
    400: ("Felaktig begäran", "Begäran kunde inte tolkas. Ladda om sidan och försök igen."),
    403: ("Åtkomst nekad", "Du har inte behörighet till den här sidan eller åtgärden."),
    404: ("Sidan finns inte", "Det du letar efter finns inte, eller har flyttats."),
    405: ("Otillåten metod", "Sidan kan inte användas på det sättet."),
    409: ("Ändringen kunde inte sparas", "Någon annan ändrade samma sak samtidigt. Ladda om sidan och försök igen."),
    413: ("Filen är för stor", "Filen är större än vad som tillåts. Dela upp den eller kontakta förvaltningen."),
    422: ("Begäran kunde inte utföras", "Uppgifterna bryter mot registrets regler. Inget har ändrats."),
    429: ("För många försök", "Vänta en stund och försök sedan igen."),
    500: ("Något gick fel", "Ett oväntat fel inträffade. Inget har sparats. Försök igen om en stund."),
    503: ("Registret är upptaget", "Någon annan sparar just nu. Inget har sparats. Försök igen om en stund."),
}


def status_of(error: DomainError) -> int:
    """The HTTP status a refusal answers with when no form shows it."""
    if isinstance(error, PermissionDenied):
        return 403
    if isinstance(error, (LockedYearError, StaleEditError)):
        return 409
    if isinstance(error, ValidationError):
        return 422
    return 400


def register(app: Flask) -> None:
    """Commit-or-roll-back after every request, and the handlers that turn errors into Swedish answers."""
    app.before_request(_remember_messages)
    app.after_request(_commit_or_roll_back)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(IntegrityError, _conflict)
    app.register_error_handler(OperationalError, _database_busy)


@dataclass
class Refusal:
    """What shown_on caught, if anything: a view that treats a stale edit specially looks here."""

    error: DomainError | None = None

    @property
    def is_stale(self) -> bool:
        return isinstance(self.error, StaleEditError)


@contextmanager
def shown_on(form: FlaskForm) -> Iterator[Refusal]:
    """Run services; a refusal rolls back what they did and is shown on the form, at the field it names."""
    refusal = Refusal()
    try:
        yield refusal
    except DomainError as error:
        if _wants_json():
            raise  # a JSON client has no form to read it on: _domain_error answers a problem document
        db.session.rollback()
        show_error(form, error)
        refusal.error = error


@contextmanager
def flashed() -> Iterator[Refusal]:
    """Run services; a refusal rolls back what they did and is flashed, for views that redirect either way."""
    refusal = Refusal()
    try:
        yield refusal
    except DomainError as error:
        if _wants_json():
            raise  # a JSON client follows no redirect to a flashed message
        db.session.rollback()
        flash(error.message, "error")
        refusal.error = error


def _remember_messages() -> None:
    # Messages waiting from earlier requests; a write refused at its commit takes back only its own.
    g.messages_before = len(session.get("_flashes", []))


def _commit_or_roll_back(response: Response) -> Response:
    if request.method in SAFE_METHODS or response.status_code >= 400:
        # A page that only reads commits nothing; a refused write leaves nothing behind.
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except IntegrityError:
        # Two people created the same thing at the same moment: the database refused the second.
        return _refused_at_commit(409)
    except OperationalError:
        return _refused_at_commit(503)
    return response


def _refused_at_commit(status: int) -> Response:
    db.session.rollback()
    # The view flashed its success before the commit; that message would now be untrue.
    if "_flashes" in session:
        session["_flashes"] = session["_flashes"][: g.get("messages_before", 0)]
    return _answer(status, *MESSAGES[status])


def _domain_error(error: DomainError) -> Response:
    db.session.rollback()
    status = status_of(error)
    return _answer(status, MESSAGES[status][0], error.message, field=error.field)


def _csrf_error(_error: CSRFError) -> Response:
    db.session.rollback()
    return _answer(
        400,
        "Formuläret har gått ut",
        "Sidan var öppen för länge eller skickades från fel ställe. Ladda om sidan och försök igen.",
    )


def _http_error(error: HTTPException) -> Response | HTTPException:
    db.session.rollback()
    status = error.code or 500
    if status not in MESSAGES:
        return error
    response = _answer(status, *MESSAGES[status])
    # 405 must keep its Allow header; 429 its Retry-After.
    for header in ("Allow", "Retry-After"):
        if header in error.get_headers():
            response.headers[header] = dict(error.get_headers())[header]
    return response


def _conflict(_error: IntegrityError) -> Response:
    # A unique or foreign key the services checked was taken or removed by someone else in the meantime.
    return _refused_at_commit(409)


def _database_busy(_error: OperationalError) -> Response:
    db.session.rollback()
    return _answer(503, *MESSAGES[503])


def _answer(status: int, title: str, text: str, *, field: str | None = None) -> Response:
    """The same refusal as a Swedish page for a browser, or a JSON problem for a JSON client."""
    if _wants_json():
        body: dict[str, object] = {"status": status, "title": title, "detail": text}
        if field:
            body["field"] = field
        response = jsonify(body)
        response.status_code = status
        response.mimetype = "application/problem+json"
        return response
    return Response(render_template("errors/error.html", status=status, title=title, text=text), status)


def _wants_json() -> bool:
    if request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
