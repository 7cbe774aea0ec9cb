"""Engine set-up that SQLite needs to behave as a multi-user database."""

from __future__ import annotations

import sqlite3

from flask import Flask, has_request_context, request
from sqlalchemy import Engine, event

from app.core.text import register_sqlite_text_functions
from app.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_MS = 10_000


def register_sqlite_pragmas(app: Flask) -> None:
    """WAL, foreign keys, busy timeout and write-locking transactions for SQLite engines."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record) -> None:
        # Take transaction control from pysqlite so that BEGIN is ours to emit (see on_begin).
        dbapi_connection.isolation_level = None
        register_sqlite_text_functions(dbapi_connection)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        # A deferred transaction that reads and then writes cannot wait for the lock: SQLite fails it at once
        # with "database is locked". Writers therefore take the lock up front and queue behind busy_timeout;
        # safe requests read under plain BEGIN and never block anyone in WAL mode.
        if _is_read_only_request():
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _is_read_only_request() -> bool:
    return has_request_context() and request.method in SAFE_METHODS
