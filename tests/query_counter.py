"""Counting SQL statements, to prove a page's queries do not grow with the register."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db


class QueryCount:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries() -> Iterator[QueryCount]:
    counter = QueryCount()

    def on_execute(_conn, _cursor, statement, *_args) -> None:
        # BEGIN/COMMIT and savepoints are not queries the page chose to make.
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            counter.statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
