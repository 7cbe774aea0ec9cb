"""Input rules shared by the services, with the Swedish messages users see."""

from __future__ import annotations

import re

from app.core.errors import ValidationError

# Pasted text often carries control characters (from Word, PDFs); they break exports and are never meant.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None, label: str, *, max_length: int, required: bool = False, field: str) -> str:
    """Trimmed text without control characters; refuses empty required text and overlong text."""
    text = _CONTROL_CHARACTERS.sub("", value or "").strip()
    if required and not text:
        raise ValidationError(f"{label} måste fyllas i.", field=field)
    if len(text) > max_length:
        raise ValidationError(f"{label} får vara högst {max_length} tecken.", field=field)
    return text
