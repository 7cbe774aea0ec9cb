"""Creating users and changing their passwords."""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import func, select

from app.core import audit
from app.core.errors import ValidationError
from app.core.validation import clean_text
from app.extensions import db
from app.models import Role, Unit, User

MIN_PASSWORD_LENGTH = 8
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create_user(
    actor: User | None, *, email: str, name: str, role: Role, unit: Unit, password: str
) -> User:
    """A new active user with a hashed password."""
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise ValidationError("Ange en giltig e-postadress.", field="email")
    if find_user_by_email(email) is not None:
        raise ValidationError(f"Det finns redan en användare med e-postadressen {email}.", field="email")
    if not isinstance(role, Role):
        raise ValidationError("Okänd roll.", field="role")
    validate_password(password)
    user = User(
        email=email,
        name=clean_text(name, "Namn", max_length=200, required=True, field="name"),
        role=role,
        unit=unit,
        is_active=True,
    )
    user.set_password(password, current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "create", user, audit.snapshot(user, ["email", "name", "role", "unit_id"]), unit_id=unit.id)
    return user


def validate_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.", field="password")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))
