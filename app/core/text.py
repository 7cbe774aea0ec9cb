"""Swedish text rules, each defined once: alphabetical order and case-insensitive search.

The same rule holds in Python, on SQLite and on PostgreSQL:

* Order is ICU's collator for the locale ``sv`` (CLDR): å, ä, ö after z; æ sorts with ä, ø with ö, ü with y,
  é with e; case and accents matter only between otherwise equal strings (lower case first). Strings that the
  collator still finds equal are ordered by code point, which is what PostgreSQL does for a deterministic
  collation, so no two distinct strings ever tie. Python uses ICU through PyICU; PostgreSQL uses its built-in
  ICU collation "sv-x-icu"; SQLite gets a collation named ``swedish`` that calls the same Python collator.
* Search folds case with full Unicode case mapping, upper case first and then lower case (so "Ö" and "ö" match,
  and "ß" matches "ss"). Python's ``str.upper().lower()`` and ICU's ``lower(upper(...))`` in PostgreSQL give the
  same result for every cased character; SQLite gets a function ``sv_fold`` that runs the Python one.

This module imports nothing from ``app``: it sits at the bottom of the package graph. SQLite connections need
:func:`register_sqlite_text_functions` once each (``app.database`` does it on connect).
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterable

import icu
from sqlalchemy import String, or_, true
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

# What the SQL side is called: the SQLite collation and fold function this module registers, and the ICU
# collation that PostgreSQL's initdb creates when the server is built with ICU (Debian's is).
SQLITE_COLLATION = "swedish"
SQLITE_FOLD_FUNCTION = "sv_fold"
POSTGRESQL_COLLATION = "sv-x-icu"
LIKE_ESCAPE = "\\"

# One collator for the process: ICU allows its const methods (compare, sort keys) from several threads.
_COLLATOR = icu.Collator.createInstance(icu.Locale("sv"))


def swedish_key(text: str | None) -> tuple[bytes, str]:
    """A sort key giving Swedish alphabetical order (CLDR sv); None sorts as the empty string.

    The key is (ICU sort key, the text itself): the text breaks ties between strings that ICU finds equal, by
    code point, as PostgreSQL does. Keys are hashable and compare only with each other.
    """
    text = text or ""
    return (_COLLATOR.getSortKey(text), text)


def _compare(left: str, right: str) -> int:
    """The order of swedish_key as a comparison function: ICU first, then code points."""
    result = _COLLATOR.compare(left, right)
    if result == 0:
        result = (left > right) - (left < right)
    return result


def sorted_choices(choices: Iterable[tuple]) -> list[tuple]:
    """(value, label) pairs in Swedish alphabetical order of label."""
    return sorted(choices, key=lambda choice: swedish_key(choice[1]))


class _SwedishOrder(FunctionElement):
    """The text of a column compared in Swedish order; rendered per dialect below."""

    type = String()
    name = "swedish_order"
    inherit_cache = True


@compiles(_SwedishOrder)
def _swedish_order_elsewhere(element, compiler, **kw):
    raise CompileError(f"swedish_order() has no collation for the {compiler.dialect.name} dialect")


@compiles(_SwedishOrder, "sqlite")
def _swedish_order_sqlite(element, compiler, **kw):
    return f"coalesce({compiler.process(element.clauses, **kw)}, '') COLLATE {SQLITE_COLLATION}"


@compiles(_SwedishOrder, "postgresql")
def _swedish_order_postgresql(element, compiler, **kw):
    return f"coalesce({compiler.process(element.clauses, **kw)}, '') COLLATE \"{POSTGRESQL_COLLATION}\""


def swedish_order(column) -> ColumnElement[str]:
    """An ORDER BY expression giving exactly swedish_key's order (NULL as the empty string); .desc() works on it."""
    return _SwedishOrder(column)


def _fold(text: str) -> str:
    """Case folding for search: full Unicode upper case, then lower case (what PostgreSQL's ICU does too)."""
    return text.upper().lower()


def _sqlite_fold(text: str | None) -> str | None:
    return None if text is None else _fold(text)


class _Folded(FunctionElement):
    """A column's text with case folded as _fold does; rendered per dialect below."""

    type = String()
    name = "sv_fold"
    inherit_cache = True


@compiles(_Folded)
def _folded_elsewhere(element, compiler, **kw):
    raise CompileError(f"search_condition() has no case folding for the {compiler.dialect.name} dialect")


@compiles(_Folded, "sqlite")
def _folded_sqlite(element, compiler, **kw):
    return f"{SQLITE_FOLD_FUNCTION}({compiler.process(element.clauses, **kw)})"


@compiles(_Folded, "postgresql")
def _folded_postgresql(element, compiler, **kw):
    # ICU's case mapping whatever the database's LC_CTYPE is: under "C" lower() would fold ASCII only.
    return f'lower(upper(({compiler.process(element.clauses, **kw)}) COLLATE "{POSTGRESQL_COLLATION}"))'


def _escape_like(text: str) -> str:
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


def search_condition(columns: Iterable, query: str | None) -> ColumnElement[bool]:
    """True where any of the text columns contains query, case-insensitively (Unicode case folding).

    The query is taken literally: %, _ and backslash are no wildcards. Surrounding whitespace is ignored, and a
    query that is empty or only whitespace matches every row (sqlalchemy.true()), so callers need no check of
    their own. The query is normalised to NFC first (an ö typed as o + diaeresis finds a stored ö); stored text
    is compared as it is. A NULL column contains nothing.
    """
    columns = list(columns)
    if not columns:
        raise ValueError("search_condition() needs at least one column")
    text = unicodedata.normalize("NFC", (query or "").strip())
    if not text:
        return true()
    pattern = f"%{_escape_like(_fold(text))}%"
    return or_(*(_Folded(column).like(pattern, escape=LIKE_ESCAPE) for column in columns))


def register_sqlite_text_functions(dbapi_connection: sqlite3.Connection) -> None:
    """Give a raw sqlite3 connection the collation and fold function that swedish_order and search_condition use."""
    dbapi_connection.create_collation(SQLITE_COLLATION, _compare)
    dbapi_connection.create_function(SQLITE_FOLD_FUNCTION, 1, _sqlite_fold, deterministic=True)
