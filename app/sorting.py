"""Swedish alphabetical order (å, ä, ö after z) without depending on the server's locale."""

from __future__ import annotations

import unicodedata

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement

# Swedish treats these as letters of their own at the end of the alphabet; ü sorts as y, æ/ø as ä/ö.
_AFTER_Z = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"}
_AS_OTHER = {"ü": "y"}


def swedish_key(text: str) -> str:
    """A sort key giving Swedish dictionary order, case-insensitive."""
    out = []
    for char in (text or "").casefold():
        if char in _AFTER_Z:
            out.append(_AFTER_Z[char])
        elif char in _AS_OTHER:
            out.append(_AS_OTHER[char])
        else:
            # é, à and other accented letters sort as their base letter.
            out.append(unicodedata.normalize("NFD", char)[0])
    return "".join(out)


# The same order in SQL, on SQLite and PostgreSQL alike: å, ä, ö after z.
_AFTER_Z_SQL = (("Å", "{"), ("å", "{"), ("Ä", "|"), ("ä", "|"), ("Ö", "}"), ("ö", "}"))


def swedish_order(column) -> ColumnElement:
    """An ORDER BY expression giving Swedish alphabetical order for a text column."""
    expression = column
    for letter, replacement in _AFTER_Z_SQL:
        expression = func.replace(expression, letter, replacement)
    return func.lower(expression)


def sorted_choices(choices) -> list[tuple]:
    """(value, label) pairs in Swedish order of label."""
    return sorted(choices, key=lambda choice: swedish_key(choice[1]))
