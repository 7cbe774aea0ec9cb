"""The domain model: constraints the database enforces, derived values, enums, matrices and sorting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from app.core.unit_year import default_matrix
from app.extensions import db
from app.models import (
    Action,
    ActionStatus,
    Assessment,
    AuditEvent,
    PlanStatus,
    Process,
    Risk,
    RiskMatrix,
    RiskStatus,
    Role,
    Unit,
)
from app.models.matrix import DEFAULT_BANDS
from app.core.text import swedish_key
from tests.conftest import TEST_YEAR


def _insert_assessment(risk_id: int, **overrides) -> None:
    values = {"risk_id": risk_id, "year": TEST_YEAR, "likelihood": 2, "consequence": 2, "status": "new"} | overrides
    db.session.execute(insert(Assessment.__table__).values(**values))


# --- constraints at the database level ---------------------------------------------------------------------------


def test_second_assessment_for_same_risk_and_year_is_refused_by_the_database(make_assessment):
    assessment = make_assessment()
    with pytest.raises(IntegrityError):
        _insert_assessment(assessment.risk_id, year=assessment.year)
    db.session.rollback()
    # The same risk in another year is fine: uniqueness is per (risk, year).
    _insert_assessment(assessment.risk_id, year=assessment.year + 1)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 2


@pytest.mark.parametrize(("year", "accepted"), [(1999, False), (2000, True), (2100, True), (2101, False)])
def test_assessment_year_check_constraint(make_risk, year, accepted):
    risk = make_risk()
    if accepted:
        _insert_assessment(risk.id, year=year)
        db.session.commit()
    else:
        with pytest.raises(IntegrityError):
            _insert_assessment(risk.id, year=year)
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == int(accepted)


@pytest.mark.parametrize("table", ["actions", "control_checks", "plans"])
def test_other_year_columns_are_checked_too(unit, make_control, table):
    control = make_control()
    statements = {
        "actions": "INSERT INTO actions (unit_id, title, description, start_year, status, follow_up, is_archived, "
        "created_at, version) VALUES (:unit, 'x', '', 1999, 'planned', '', false, '2026-01-01 00:00:00', 1)",
        "control_checks": "INSERT INTO control_checks (control_id, year, performed_on, outcome, findings, created_at) "
        "VALUES (:control, 2101, '2026-01-01', 'no_remarks', '', '2026-01-01 00:00:00')",
        "plans": "INSERT INTO plans (unit_id, year, status, created_at) "
        "VALUES (:unit, 1999, 'draft', '2026-01-01 00:00:00')",
    }
    with pytest.raises(IntegrityError):
        db.session.execute(text(statements[table]), {"unit": unit.id, "control": control.id})
    db.session.rollback()


def test_enum_check_rejects_an_unknown_status(make_risk):
    risk = make_risk()
    statement = text(
        "INSERT INTO assessments (risk_id, year, likelihood, consequence, status, comment, assessed_at, version) "
        "VALUES (:risk, :year, 2, 2, :status, '', '2026-01-01 00:00:00', 1)"
    )
    with pytest.raises(IntegrityError):
        db.session.execute(statement, {"risk": risk.id, "year": TEST_YEAR, "status": "half_done"})
    db.session.rollback()
    # The same statement with a known value goes through: the failure above was the CHECK, nothing else.
    db.session.execute(statement, {"risk": risk.id, "year": TEST_YEAR, "status": RiskStatus.NEW.value})
    db.session.commit()
    assert db.session.scalar(select(Assessment.status)) is RiskStatus.NEW


def test_enum_column_refuses_unknown_strings_through_the_orm(make_risk):
    risk = make_risk()
    db.session.add(Assessment(risk=risk, year=TEST_YEAR, likelihood=1, consequence=1, status="half_done"))
    with pytest.raises(StatementError):
        db.session.flush()
    db.session.rollback()


def test_foreign_keys_are_enforced(app):
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with pytest.raises(IntegrityError):
        db.session.execute(
            text("INSERT INTO risks (process_id, title, description, created_at, is_archived) "
                 "VALUES (9999, 'Föräldralös risk', '', '2026-01-01 00:00:00', false)")
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Risk)) == 0


def test_foreign_keys_are_enforced_for_orm_writes_too(make_risk):
    risk = make_risk()
    risk.process_id = 9999
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- derived values and timestamps ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("likelihood", "consequence", "score"), [(1, 1, 1), (2, 3, 6), (3, 3, 9), (4, 4, 16)])
def test_assessment_score_is_derived(make_assessment, likelihood, consequence, score):
    assessment = make_assessment(likelihood=likelihood, consequence=consequence)
    assert assessment.score == score
    assessment.likelihood = 1
    assert assessment.score == consequence
    assert "score" not in Assessment.__table__.columns


def test_timestamps_are_utc_aware_after_a_round_trip(make_assessment):
    assessment = make_assessment()
    assessment_id, written = assessment.id, assessment.assessed_at
    db.session.commit()
    db.session.expunge_all()

    loaded = db.session.get(Assessment, assessment_id)
    for value in (
        loaded.assessed_at,
        loaded.risk.created_at,
        loaded.risk.process.created_at,
        loaded.risk.process.unit.created_at,
        db.session.scalar(select(AuditEvent.occurred_at).limit(1)),
    ):
        assert value.tzinfo is not None
        assert value.utcoffset().total_seconds() == 0
    assert loaded.assessed_at == written


def test_a_non_utc_timestamp_is_stored_as_the_same_instant(make_assessment):
    assessment = make_assessment()
    stockholm_summer = timezone(timedelta(hours=2))
    assessment.assessed_at = datetime(2026, 6, 1, 14, 30, tzinfo=stockholm_summer)
    assessment_id = assessment.id
    db.session.commit()
    db.session.expunge_all()
    loaded = db.session.get(Assessment, assessment_id)
    assert loaded.assessed_at == datetime(2026, 6, 1, 12, 30, tzinfo=UTC)
    assert loaded.assessed_at.tzinfo is not None and loaded.assessed_at.utcoffset().total_seconds() == 0


def test_naive_timestamps_are_refused(make_assessment):
    assessment = make_assessment()
    assessment.assessed_at = datetime(2026, 6, 1, 12, 0)
    with pytest.raises(StatementError, match="naive datetime"):
        db.session.flush()
    db.session.rollback()


# --- the risk matrix ------------------------------------------------------------------------------------------------


def _matrix(likelihood_size: int, consequence_size: int, bands=None) -> RiskMatrix:
    return RiskMatrix(
        year=TEST_YEAR,
        likelihood_size=likelihood_size,
        consequence_size=consequence_size,
        likelihood_labels=[f"S{n}" for n in range(1, likelihood_size + 1)],
        consequence_labels=[f"K{n}" for n in range(1, consequence_size + 1)],
        bands=bands or DEFAULT_BANDS,
    )


def _ranges(matrix: RiskMatrix) -> list[tuple[str, int, int]]:
    return [(level.name, level.min_score, level.max_score) for level in matrix.levels()]


def test_default_matrix_levels():
    matrix = default_matrix(None, TEST_YEAR)
    assert (matrix.likelihood_size, matrix.consequence_size, matrix.max_score) == (4, 4, 16)
    assert _ranges(matrix) == [("Låg", 1, 3), ("Medel", 4, 6), ("Hög", 8, 9), ("Mycket hög", 12, 16)]
    assert [level.rank for level in matrix.levels()] == [0, 1, 2, 3]
    assert matrix.levels()[-1].colour == "#c62828"


def test_default_matrix_does_not_share_its_bands_with_the_module_default():
    matrix = default_matrix(None, TEST_YEAR)
    matrix.bands[0]["colour"] = "#000000"
    assert DEFAULT_BANDS[0]["colour"] == "#2e7d32"


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (1, "Låg"),
        (3, "Låg"),
        (4, "Medel"),
        (6, "Medel"),
        (7, "Hög"),  # no 4×4 cell gives 7, but the Hög band starts there
        (8, "Hög"),
        (9, "Hög"),
        (10, "Hög"),
        (11, "Hög"),
        (12, "Mycket hög"),
        (16, "Mycket hög"),
    ],
)
def test_default_matrix_level_for(score, level):
    assert default_matrix(None, TEST_YEAR).level_for(score).name == level


def test_default_matrix_reachable_scores():
    assert default_matrix(None, TEST_YEAR).reachable_scores() == {1, 2, 3, 4, 6, 8, 9, 12, 16}


def test_five_by_five_matrix_levels():
    matrix = _matrix(5, 5)
    assert matrix.max_score == 25
    assert _ranges(matrix) == [("Låg", 1, 3), ("Medel", 4, 6), ("Hög", 8, 10), ("Mycket hög", 12, 25)]


@pytest.mark.parametrize(
    ("score", "level"),
    [(2, "Låg"), (5, "Medel"), (7, "Hög"), (10, "Hög"), (12, "Mycket hög"), (20, "Mycket hög"), (25, "Mycket hög")],
)
def test_five_by_five_matrix_level_for(score, level):
    assert _matrix(5, 5).level_for(score).name == level


def test_custom_bands_are_ordered_by_their_minimum():
    bands = [
        {"name": "Hög", "min": 10, "colour": "#ff0000"},
        {"name": "Låg", "min": 1, "colour": "#00ff00"},
    ]
    matrix = _matrix(5, 5, bands)
    assert _ranges(matrix) == [("Låg", 1, 9), ("Hög", 10, 25)]
    assert matrix.level_for(9).name == "Låg"
    assert matrix.level_for(10).colour == "#ff0000"


def test_describe_cell_uses_the_year_labels():
    assert default_matrix(None, TEST_YEAR).describe_cell(1, 4) == "Mycket liten × Katastrofal"


# --- enums ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("enum", "text", "member"),
    [
        (Role, "owner", Role.OWNER),
        (Role, "Processägare", Role.OWNER),
        (Role, "  PROCESSÄGARE ", Role.OWNER),
        (Role, "kvalitetssamordnare", Role.ADMIN),
        (RiskStatus, "carried_over", RiskStatus.CARRIED_OVER),
        (RiskStatus, "Kvarstår", RiskStatus.CARRIED_OVER),
        (RiskStatus, "åtgärdad", RiskStatus.RESOLVED),
        (ActionStatus, "Genomförd", ActionStatus.DONE),
        (PlanStatus, "låst", PlanStatus.LOCKED),
    ],
)
def test_labeled_enum_parse(enum, text, member):
    assert enum.parse(text) is member


@pytest.mark.parametrize(("enum", "text"), [(Role, "chef-ish"), (RiskStatus, ""), (ActionStatus, "klar")])
def test_labeled_enum_parse_refuses_unknown_text(enum, text):
    with pytest.raises(ValueError):
        enum.parse(text)


def test_labeled_enum_values_and_choices():
    assert Role.OWNER == "owner"
    assert Role.OWNER.label == "Processägare"
    assert RiskStatus.choices()[0] == ("new", "Ny")
    assert [value for value, _ in PlanStatus.choices()] == ["draft", "adopted", "locked"]


@pytest.mark.parametrize(
    ("status", "is_open"),
    [
        (RiskStatus.NEW, True),
        (RiskStatus.IN_PROGRESS, True),
        (RiskStatus.CARRIED_OVER, True),
        (RiskStatus.RESOLVED, False),
        (RiskStatus.CLOSED, False),
    ],
)
def test_risk_status_is_open(status, is_open):
    assert status.is_open is is_open


def test_enum_round_trips_as_member(make_assessment):
    assessment_id = make_assessment(status=RiskStatus.CARRIED_OVER).id
    db.session.expunge_all()
    assert db.session.get(Assessment, assessment_id).status is RiskStatus.CARRIED_OVER
    assert db.session.execute(text("SELECT status FROM assessments")).scalar() == "carried_over"


# --- actions --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due_on", "overdue"),
    [
        (ActionStatus.PLANNED, date(2026, 6, 29), True),
        (ActionStatus.IN_PROGRESS, date(2026, 6, 29), True),
        (ActionStatus.PLANNED, date(2026, 6, 30), False),  # due today is not yet overdue
        (ActionStatus.PLANNED, date(2026, 7, 1), False),
        (ActionStatus.PLANNED, None, False),
        (ActionStatus.DONE, date(2026, 1, 1), False),
        (ActionStatus.CANCELLED, date(2026, 1, 1), False),
    ],
)
def test_action_is_overdue(status, due_on, overdue):
    action = Action(title="Checklista", start_year=2026, status=status, due_on=due_on)
    assert action.is_overdue(date(2026, 6, 30)) is overdue


@pytest.mark.parametrize(
    ("completed_on", "year", "visible"),
    [
        (None, 2025, False),
        (None, 2026, True),
        (None, 2030, True),
        (date(2027, 3, 1), 2026, True),
        (date(2027, 3, 1), 2027, True),
        (date(2027, 3, 1), 2028, False),
    ],
)
def test_action_is_visible_from_its_start_until_the_year_it_was_completed(completed_on, year, visible):
    action = Action(title="Checklista", start_year=2026, status=ActionStatus.PLANNED, completed_on=completed_on)
    assert action.is_visible_in(year) is visible


# --- Swedish order --------------------------------------------------------------------------------------------------


def test_swedish_key_orders_a_ring_a_umlaut_o_umlaut_after_z():
    names = ["Örebro", "Åre", "Ängelholm", "Zürich", "Alingsås"]
    assert sorted(names, key=swedish_key) == ["Alingsås", "Zürich", "Åre", "Ängelholm", "Örebro"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("abc", "ÅBC"),
        ("Zebra", "ärende"),
        ("Ärende", "ödla"),
        ("Église", "Fika"),
        ("Zürich", "Zz"),
        ("Uppsala", "Ystad"),
    ],
)
def test_swedish_key_pairs(before, after):
    assert swedish_key(before) < swedish_key(after)


def test_swedish_key_ignores_case():
    """Case never outweighs a letter (CLDR sv): it only breaks a tie between otherwise equal words, lower case first."""
    assert swedish_key("ÖREBRO")[0][:8] == swedish_key("örebro")[0][:8]  # the same letters, primary weights equal
    assert sorted(["Örebro kommun", "ÖREBRO", "Orsa", "örebro", "Ödeshög"], key=swedish_key) == [
        "Orsa", "Ödeshög", "örebro", "ÖREBRO", "Örebro kommun",
    ]


# --- relationships the rest of the code relies on ------------------------------------------------------------------


def test_risk_assessment_for_year(make_risk, make_assessment):
    risk = make_risk()
    first = make_assessment(risk, year=TEST_YEAR - 1)
    second = make_assessment(risk, year=TEST_YEAR)
    db.session.refresh(risk)
    assert risk.assessment_for(TEST_YEAR - 1) is first
    assert risk.assessment_for(TEST_YEAR) is second
    assert risk.assessment_for(TEST_YEAR + 1) is None
    assert [a.year for a in risk.assessments] == [TEST_YEAR - 1, TEST_YEAR]


def test_process_tree_relationships(unit, make_process):
    parent = make_process(title="Myndighetsutövning")
    parent_id, child_id = parent.id, make_process(title="Utredning", parent=parent).id
    unit_id = unit.id
    db.session.expunge_all()
    loaded = db.session.get(Process, parent_id)
    assert [p.id for p in loaded.children] == [child_id]
    assert db.session.get(Process, child_id).parent.id == parent_id
    assert db.session.get(Unit, unit_id).code == "bfe"
