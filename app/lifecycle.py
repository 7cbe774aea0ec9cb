"""Archive, restore and delete from the browser: one service call, one commit, a flash, back to the item.

Shared by processes, risks, egenkontroller and åtgärder, whose views only say what and where.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect
from flask_login import current_user

from app.errors import DomainError
from app.extensions import db


def change_and_return(change: Callable[[Any], Any], success: str, back_to: str, failed_to: str | None = None):
    """Run change(current_user) and commit; a refusal rolls back and is shown where the user came from."""
    try:
        change(current_user)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(failed_to or back_to)
    flash(success, "success")
    return redirect(back_to)
