"""Swedish order and search (app.core.text): Python and SQL agree, on SQLite and PostgreSQL, with CLDR sv."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, true
from sqlalchemy.dialects import mysql
from sqlalchemy.exc import CompileError

from app.core.text import search_condition, sorted_choices, swedish_key, swedish_order
from app.extensions import db
from app.models import Unit

# CLDR sv order, written out by hand: å ä ö after z; æ with ä and ø with ö (after them at the accent level); ü as
# y; é as e; v and w distinct; ð as d and þ as th; ß as ss; space and hyphen before letters; digits before letters
# and compared digit by digit; lower case before upper case when nothing else differs; strings ICU finds equal
# (the decomposed "E\u0301va" and the composed "Éva") by code point.
EXPECTED = [
    "10 ärenden",
    "2 ärenden",
    "a b",
    "a-b",
    "Aa",
    "ab",
    "Ab",
    "abc",
    "d",
    "ð",
    "ebbe",
    "Ebbe",
    "eva",
    "Eva",
    "E\u0301va",
    "Éva",
    "Oskar",
    "ss",
    "ß",
    "Strasse",
    "Straße",
    "th",
    "þ",
    "Vera",
    "Wilma",
    "Übung",
    "Ülla",
    "Yngve",
    "Yxa",
    "Zebra",
    "Ål",
    "Ångest",
    "åsa",
    "ÅSA",
    "Åtgärd",
    "Ä",
    "Æ",
    "Æble",
    "ärende",
    "Ärende",
    "Ærø",
    "Ö",
    "Ø",
    "Ødegaard",
    "Ödla",
    "Öl",
    "Översyn",
]

_words = Table(
    "swedish_text_words",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("word", String(200)),
    Column("note", String(200)),
)


@pytest.fixture
def words(app) -> Iterator[Table]:
    """A table of our own, created in the test's transaction: the app fixture's rollback removes it."""
    _words.create(db.session.connection())
    yield _words


def store(rows: list[tuple[str | None, str | None]]) -> None:
    db.session.execute(insert(_words), [{"word": word, "note": note} for word, note in rows])


def shuffled(items: list) -> list:
    items = list(items)
    random.Random(20261123).shuffle(items)
    return items


def words_in_sql_order(*order_by) -> list[str | None]:
    return list(db.session.scalars(select(_words.c.word).order_by(*order_by)))


# --- order ----------------------------------------------------------------------------------------------------------


def test_sql_order_and_python_key_both_give_cldr_swedish_order(words):
    store([(word, None) for word in shuffled(EXPECTED)])
    assert sorted(shuffled(EXPECTED), key=swedish_key) == EXPECTED
    assert words_in_sql_order(swedish_order(words.c.word)) == EXPECTED


def test_descending_sql_order_is_the_reverse(words):
    store([(word, None) for word in shuffled(EXPECTED)])
    assert words_in_sql_order(swedish_order(words.c.word).desc()) == EXPECTED[::-1]


def test_null_sorts_as_the_empty_string_first(words):
    store([("Öga", None), (None, None), ("Abc", None)])
    assert words_in_sql_order(swedish_order(words.c.word)) == [None, "Abc", "Öga"]
    assert sorted(["Öga", None, "Abc"], key=swedish_key) == [None, "Abc", "Öga"]
    assert swedish_key(None) == swedish_key("")


def test_order_of_a_model_column(make_unit):
    for name in shuffled(["Öga", "Zebra", "Ärende", "Éva", "Ødegaard", "Åtgärd", "Übung", "Ebbe"]):
        make_unit(name=name)
    names = list(db.session.scalars(select(Unit.name).order_by(swedish_order(Unit.name), Unit.id)))
    assert names == ["Ebbe", "Éva", "Übung", "Zebra", "Åtgärd", "Ärende", "Ødegaard", "Öga"]


def test_sorted_choices_orders_by_label():
    choices = [(1, "Öga"), (2, "Ärende"), (3, "abc"), (4, "Åtgärd"), (5, "Zebra"), (6, "Éva")]
    assert sorted_choices(choices) == [(3, "abc"), (6, "Éva"), (5, "Zebra"), (4, "Åtgärd"), (2, "Ärende"), (1, "Öga")]


def test_a_dialect_without_the_rules_is_refused_not_silently_misordered():
    with pytest.raises(CompileError):
        swedish_order(_words.c.word).compile(dialect=mysql.dialect())
    with pytest.raises(CompileError):
        search_condition([_words.c.word], "ökad").compile(dialect=mysql.dialect())


# --- search ---------------------------------------------------------------------------------------------------------

SEARCHED = [
    ("Ökad risk för fel", None),
    ("ökad arbetsbelastning", "ingen"),
    ("ÄRENDE om tillsyn", None),
    ("Oskar", "Olle"),
    ("50% av ärendena", None),
    ("500 ärenden", None),
    ("a_b", None),
    ("axb", None),
    ("C:\\temp", None),
    ("C:/temp", None),
    ("Gatan", "Straße"),
    ("Plan", "Åtgärdsplan"),
]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ökad", ["Ökad risk för fel", "ökad arbetsbelastning"]),
        ("ÖKAD", ["Ökad risk för fel", "ökad arbetsbelastning"]),
        ("o\u0308kad", ["Ökad risk för fel", "ökad arbetsbelastning"]),  # ö typed decomposed
        ("ärende", ["ÄRENDE om tillsyn", "50% av ärendena", "500 ärenden"]),
        ("ÄRENDEN", ["50% av ärendena", "500 ärenden"]),
        ("ö", ["Ökad risk för fel", "ökad arbetsbelastning"]),  # not Oskar
        ("50%", ["50% av ärendena"]),
        ("%", ["50% av ärendena"]),
        ("a_b", ["a_b"]),
        ("_", ["a_b"]),
        ("c:\\", ["C:\\temp"]),
        ("\\", ["C:\\temp"]),
        ("\\%", []),
        ("/", ["C:/temp"]),
        ("STRASSE", ["Gatan"]),  # in the second column, ß folded to ss
        ("  åtgärd ", ["Plan"]),
        ("ingen träff", []),
    ],
)
def test_search_finds_any_column_containing_the_query_ignoring_case(words, query, found):
    store(SEARCHED)
    rows = db.session.scalars(
        select(words.c.word).where(search_condition([words.c.word, words.c.note], query)).order_by(words.c.id)
    )
    assert list(rows) == found


@pytest.mark.parametrize("query", ["", "   ", None])
def test_a_blank_query_matches_everything(words, query):
    store(SEARCHED)
    assert search_condition([words.c.word], query) is true()
    found = db.session.scalars(select(words.c.word).where(search_condition([words.c.word], query)))
    assert len(list(found)) == len(SEARCHED)


def test_search_on_a_model_column(make_unit):
    make_unit(name="Ökad tillsyn")
    make_unit(name="Oskarshamn")
    found = db.session.scalars(select(Unit.name).where(search_condition([Unit.name, Unit.code], "ÖKAD")))
    assert list(found) == ["Ökad tillsyn"]
