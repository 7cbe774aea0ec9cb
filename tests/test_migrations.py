"""Migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from tests.conftest import app_config

pytestmark = pytest.mark.slow


def test_upgrade_builds_exactly_the_models_schema(fresh_database_url: str):
    app = create_app(app_config(fresh_database_url))
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.session.remove()
        db.engine.dispose()
    assert differences == []


def test_downgrade_to_base_and_back(fresh_database_url: str):
    app = create_app(app_config(fresh_database_url))
    with app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        flask_migrate.upgrade()
        assert "assessments" in inspect(db.engine).get_table_names()
        db.session.remove()
        db.engine.dispose()


def test_existing_rows_get_unique_refs_when_upgrading(fresh_database_url: str):
    from sqlalchemy import text

    app = create_app(app_config(fresh_database_url))
    with app.app_context():
        flask_migrate.upgrade(revision="b6a9710fb09f")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO units (id, code, name, created_at) VALUES (1, 'bfe', 'BFE', '2026-01-01 00:00:00')"))
            for number in (1, 2):
                connection.execute(text(
                    "INSERT INTO processes (id, unit_id, title, description, sort_order, is_archived, created_at) "
                    f"VALUES ({number}, 1, 'Process {number}', '', 0, false, '2026-01-01 00:00:00')"))
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            refs = connection.execute(text("SELECT ref FROM processes ORDER BY id")).scalars().all()
        db.session.remove()
        db.engine.dispose()
    assert len(set(refs)) == 2
    assert all(ref.startswith("P-") and len(ref) == 14 for ref in refs)
