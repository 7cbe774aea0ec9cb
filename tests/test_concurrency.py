"""Several processes saving the same assessment: each save lands or is refused as stale, none is lost."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import func, select

from app import create_app
from app.core.errors import StaleEditError
from app.core.services.assessments import assess_risk, update_assessment
from app.core.services.processes import create_process
from app.core.services.risks import create_risk
from app.core.units import create_unit
from app.extensions import db
from app.models import Assessment, AuditEvent, RiskStatus
from tests.conftest import TEST_YEAR, app_config

pytestmark = pytest.mark.slow

WORKERS = 4


def _seed(url: str) -> int:
    """Schema and one assessment at version 1; returns its id."""
    app = create_app(app_config(url))
    with app.app_context():
        db.create_all()
        unit = create_unit(None, code="bfe", name="Barn- och familjeenheten")
        risk = create_risk(None, create_process(None, unit, title="Utredning"), title="Sen utredning")
        assessment = assess_risk(None, risk, year=TEST_YEAR, likelihood=2, consequence=2, status=RiskStatus.NEW)
        db.session.commit()
        assessment_id = assessment.id
        db.session.remove()
        db.engine.dispose()
    return assessment_id


def _worker(url: str, assessment_id: int, worker: int, attempts: int, pinned_version: int | None, start, results):
    """Save `attempts` times; with pinned_version, every save claims to have read that version."""
    try:
        app = create_app(app_config(url))
        with app.app_context():
            start.wait()
            landed = stale = 0
            for attempt in range(attempts):
                assessment = db.session.get(Assessment, assessment_id)
                try:
                    update_assessment(
                        None,
                        assessment,
                        likelihood=1 + (worker + attempt) % 4,
                        consequence=1 + attempt % 4,
                        status=RiskStatus.IN_PROGRESS,
                        comment=f"arbetare {worker}, försök {attempt}",
                        expected_version=pinned_version if pinned_version is not None else assessment.version,
                    )
                    db.session.commit()
                    landed += 1
                except StaleEditError as error:
                    db.session.rollback()
                    assert "efter att du öppnade sidan" in error.message
                    stale += 1
            db.session.remove()
            db.engine.dispose()
        results.put((worker, landed, stale, None))
    except Exception as error:  # reported to the parent, which fails the test with it
        results.put((worker, 0, 0, f"{type(error).__name__}: {error}"))


def _run(url: str, attempts: int, pinned_version: int | None) -> tuple[int, int]:
    assessment_id = _seed(url)
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    processes = [
        context.Process(target=_worker, args=(url, assessment_id, worker, attempts, pinned_version, start, results))
        for worker in range(WORKERS)
    ]
    for process in processes:
        process.start()
    start.set()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    errors = [error for *_, error in outcomes if error]
    assert errors == [], errors
    landed = sum(outcome[1] for outcome in outcomes)
    stale = sum(outcome[2] for outcome in outcomes)
    assert landed + stale == WORKERS * attempts

    app = create_app(app_config(url))
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        updates = db.session.scalar(
            select(func.count()).where(AuditEvent.entity_type == "Assessment", AuditEvent.verb == "update")
        )
        # Every landed save bumped the version once and left one audit event: no update was lost.
        assert assessment.version == 1 + landed
        assert updates == landed
        db.session.remove()
        db.engine.dispose()
    return landed, stale


def test_concurrent_read_modify_write_never_loses_an_update(fresh_database_url: str):
    landed, stale = _run(fresh_database_url, attempts=8, pinned_version=None)
    if fresh_database_url.startswith("sqlite"):
        # BEGIN IMMEDIATE serialises each read-then-write, so on SQLite no save even goes stale.
        assert (landed, stale) == (WORKERS * 8, 0)
    else:
        assert landed >= 1


def test_edits_of_the_same_version_let_exactly_one_land(fresh_database_url: str):
    landed, stale = _run(fresh_database_url, attempts=1, pinned_version=1)
    assert (landed, stale) == (1, WORKERS - 1)
