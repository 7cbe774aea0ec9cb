"""Error pages in Swedish; an unexpected error never shows a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from app.extensions import db

MESSAGES = {
    400: ("Felaktig begäran", "Begäran kunde inte tolkas. Ladda om sidan och försök igen."),
    403: ("Åtkomst nekad", "Du har inte behörighet till den här sidan eller åtgärden."),
    404: ("Sidan finns inte", "Det du letar efter finns inte, eller har flyttats."),
    405: ("Otillåten metod", "Sidan kan inte användas på det sättet."),
    413: ("Filen är för stor", "Filen är större än vad som tillåts. Dela upp den eller kontakta förvaltningen."),
    429: ("För många försök", "Vänta en stund och försök sedan igen."),
    500: ("Något gick fel", "Ett oväntat fel inträffade. Inget har sparats. Försök igen om en stund."),
}


def register(app: Flask) -> None:
    for status in MESSAGES:
        app.register_error_handler(status, _handler(status))

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _page(400, "Formuläret har gått ut", "Sidan var öppen för länge eller skickades från fel ställe. "
                     "Ladda om sidan och försök igen.")


def _handler(status: int):
    def handle(_error):
        if status == 500:
            db.session.rollback()
        title, text = MESSAGES[status]
        return _page(status, title, text)

    return handle


def _page(status: int, title: str, text: str):
    return render_template("errors/error.html", status=status, title=title, text=text), status
