"""The base of every form: Swedish messages, and domain errors shown at the field they concern."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.fields.choices import SelectChoice

from app.core.errors import DomainError
from app.web.routing import parse_id


class BaseForm(FlaskForm):
    """A CSRF-protected form whose built-in messages are WTForms' Swedish translation."""

    class Meta:
        locales = ["sv"]


class FilterForm(Form):
    """A GET form for list filters: no CSRF (it changes nothing), Swedish messages."""

    class Meta:
        locales = ["sv"]


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Attach a service's refusal to the field it names, or to the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def optional_int(value: object) -> int | None:
    """Coerce for id select fields whose first choice is "none"; anything that cannot be an id fails validation."""
    if value in (None, "", "None"):
        return None
    parsed = parse_id(value)
    if parsed is None:
        raise ValueError("Ogiltigt val.")
    return parsed


def choice_list(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice options select fields take, in the same order."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]
