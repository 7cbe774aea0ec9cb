"""Swedish alphabetical order (å, ä, ö after z) without depending on the server's locale."""

from __future__ import annotations

import unicodedata

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
