"""Bad input: every refusal is a DomainError with a Swedish message, and nothing at all is written."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.auth.services import create_user
from app.core.errors import DomainError
from app.core.services.actions import create_action, update_action
from app.core.services.assessments import assess_risk, update_assessment
from app.core.services.controls import create_control, record_check
from app.core.services.processes import create_process, update_process
from app.core.services.risks import create_risk, update_risk
from app.core.units import create_unit
from app.extensions import db
from app.models import Base, CheckOutcome, Frequency, RiskStatus, Role, User
from tests.conftest import PASSWORD, TEST_YEAR


def database_contents() -> dict[str, list[tuple]]:
    """Every row of every table, read fresh: the strongest form of "nothing was written"."""
    return {
        table.name: sorted(db.session.execute(select(table)).tuples(), key=repr)
        for table in Base.metadata.sorted_tables
    }


@pytest.fixture
def world(unit, make_unit, make_user, make_process, make_risk, make_assessment, make_control, make_action):
    """One unit with a process tree, a risk assessed this year, and a second unit with its own process and person."""
    other_unit = make_unit(code="hvo", name="Hemtjänst")
    parent = make_process(title="Myndighetsutövning")
    child = make_process(title="Utredning", parent=parent)
    grandchild = make_process(title="Barnsamtal", parent=child)
    risk = make_risk(child)
    return {
        "unit": unit,
        "owner": make_user(),
        "parent": parent,
        "child": child,
        "grandchild": grandchild,
        "risk": risk,
        "assessment": make_assessment(risk, likelihood=2, consequence=3),
        "control": make_control(),
        "action": make_action(),
        "other_unit": other_unit,
        "other_process": make_process(unit=other_unit, title="Hemtjänstinsats"),
        "other_person": make_user(unit=other_unit),
    }


def _assess(w, **overrides):
    fields = {"year": TEST_YEAR + 1, "likelihood": 2, "consequence": 2, "status": RiskStatus.NEW} | overrides
    return assess_risk(None, w["risk"], **fields)


def _reassess(w, **overrides):
    fields = {"likelihood": 2, "consequence": 3, "status": RiskStatus.NEW} | overrides
    return update_assessment(None, w["assessment"], **fields)


def _move(w, process: str, parent: str | None, **overrides):
    target = w[process]
    fields = {"title": target.title, "parent": w[parent] if parent else None} | overrides
    return update_process(None, target, **fields)


SCALE = r"måste vara ett heltal mellan 1 och 4 enligt riskmatrisen"
YEAR = r"Året måste vara mellan 2000 och 2100\."
CASES = [
    # The year's 4×4 scale.
    pytest.param(lambda w: _assess(w, likelihood=0), "Sannolikheten " + SCALE, id="assess-likelihood-0"),
    pytest.param(lambda w: _assess(w, likelihood=5), "Sannolikheten " + SCALE, id="assess-likelihood-5"),
    pytest.param(lambda w: _assess(w, consequence=0), "Konsekvensen " + SCALE, id="assess-consequence-0"),
    pytest.param(lambda w: _assess(w, consequence=5), "Konsekvensen " + SCALE, id="assess-consequence-5"),
    pytest.param(lambda w: _assess(w, likelihood="3"), "Sannolikheten " + SCALE, id="assess-likelihood-text"),
    pytest.param(lambda w: _assess(w, likelihood=2.5), "Sannolikheten " + SCALE, id="assess-likelihood-float"),
    pytest.param(lambda w: _assess(w, consequence=True), "Konsekvensen " + SCALE, id="assess-consequence-bool"),
    pytest.param(lambda w: _reassess(w, likelihood=0), "Sannolikheten " + SCALE, id="update-likelihood-0"),
    pytest.param(lambda w: _reassess(w, likelihood=5), "Sannolikheten " + SCALE, id="update-likelihood-5"),
    pytest.param(lambda w: _reassess(w, consequence=0), "Konsekvensen " + SCALE, id="update-consequence-0"),
    pytest.param(lambda w: _reassess(w, consequence=5), "Konsekvensen " + SCALE, id="update-consequence-5"),
    pytest.param(lambda w: _assess(w, status="ny"), "Okänd status för risken", id="assess-status-text"),
    pytest.param(lambda w: _reassess(w, status=None), "Okänd status för risken", id="update-status-none"),
    # Years outside 2000–2100.
    pytest.param(lambda w: _assess(w, year=1999), YEAR, id="assess-1999"),
    pytest.param(lambda w: _assess(w, year=2101), YEAR, id="assess-2101"),
    pytest.param(
        lambda w: record_check(None, w["control"], performed_on=date(1999, 5, 1), outcome=CheckOutcome.NO_REMARKS),
        YEAR,
        id="check-1999",
    ),
    pytest.param(
        lambda w: record_check(
            None, w["control"], performed_on=date(TEST_YEAR, 5, 1), year=2101, outcome=CheckOutcome.NO_REMARKS
        ),
        YEAR,
        id="check-2101",
    ),
    pytest.param(
        lambda w: record_check(None, w["control"], performed_on=date(2101, 5, 1), outcome=CheckOutcome.NO_REMARKS),
        "kan inte registreras som genomförd i framtiden",
        id="check-in-the-future",
    ),
    pytest.param(
        lambda w: record_check(
            None, w["control"], performed_on=date(TEST_YEAR, 5, 1), year=1999, outcome=CheckOutcome.NO_REMARKS
        ),
        YEAR,
        id="check-explicit-year-1999",
    ),
    pytest.param(lambda w: create_action(None, w["unit"], title="Åtgärd", start_year=1999), YEAR, id="action-1999"),
    pytest.param(lambda w: create_action(None, w["unit"], title="Åtgärd", start_year=2101), YEAR, id="action-2101"),
    pytest.param(
        lambda w: update_action(None, w["action"], title="Åtgärd", start_year=2101, status=w["action"].status),
        YEAR,
        id="update-action-2101",
    ),
    # One assessment per risk and year.
    pytest.param(lambda w: _assess(w, year=TEST_YEAR), f"Risken har redan en bedömning för {TEST_YEAR}",
                 id="second-assessment"),
    # The process tree stays within one unit and acyclic.
    pytest.param(
        lambda w: create_process(None, w["unit"], title="Ny", parent=w["other_process"]),
        "Den överordnade processen måste tillhöra samma enhet",
        id="create-process-foreign-parent",
    ),
    pytest.param(
        lambda w: _move(w, "child", "other_process"),
        "Den överordnade processen måste tillhöra samma enhet",
        id="update-process-foreign-parent",
    ),
    pytest.param(lambda w: _move(w, "parent", "grandchild"), "En process kan inte ligga under sig själv",
                 id="process-under-grandchild"),
    pytest.param(lambda w: _move(w, "parent", "child"), "En process kan inte ligga under sig själv",
                 id="process-under-child"),
    pytest.param(lambda w: _move(w, "child", "child"), "En process kan inte ligga under sig själv",
                 id="process-under-itself"),
    # Empty and overlong titles.
    pytest.param(lambda w: create_process(None, w["unit"], title=""), "Processens namn måste fyllas i",
                 id="process-empty-title"),
    pytest.param(lambda w: create_process(None, w["unit"], title=" \t\x07 "), "Processens namn måste fyllas i",
                 id="process-blank-title"),
    pytest.param(lambda w: _move(w, "child", "parent", title=""), "Processens namn måste fyllas i",
                 id="update-process-empty-title"),
    pytest.param(lambda w: create_process(None, w["unit"], title="x" * 301), "högst 300 tecken",
                 id="process-title-too-long"),
    pytest.param(lambda w: create_risk(None, w["child"], title=""), "Riskens namn måste fyllas i",
                 id="risk-empty-title"),
    pytest.param(lambda w: update_risk(None, w["risk"], title="   "), "Riskens namn måste fyllas i",
                 id="update-risk-empty-title"),
    pytest.param(
        lambda w: create_control(None, w["unit"], title="", frequency=Frequency.ANNUAL),
        "Egenkontrollens namn måste fyllas i",
        id="control-empty-title",
    ),
    pytest.param(
        lambda w: create_control(None, w["unit"], title="Enkät", frequency="årligen"),
        "Välj hur ofta egenkontrollen görs",
        id="control-frequency-text",
    ),
    pytest.param(lambda w: create_action(None, w["unit"], title="", start_year=TEST_YEAR),
                 "Åtgärdens namn måste fyllas i", id="action-empty-title"),
    # People of another unit.
    pytest.param(
        lambda w: create_process(None, w["unit"], title="Ny", owner=w["other_person"]),
        "Processägaren måste höra till samma enhet",
        id="create-process-foreign-owner",
    ),
    pytest.param(
        lambda w: _move(w, "child", "parent", owner=w["other_person"]),
        "Processägaren måste höra till samma enhet",
        id="update-process-foreign-owner",
    ),
    pytest.param(
        lambda w: create_control(None, w["unit"], title="Enkät", frequency=Frequency.ANNUAL,
                                 responsible=w["other_person"]),
        "Den ansvariga måste höra till samma enhet",
        id="control-foreign-responsible",
    ),
    pytest.param(
        lambda w: create_action(None, w["unit"], title="Åtgärd", start_year=TEST_YEAR, responsible=w["other_person"]),
        "Den ansvariga måste höra till samma enhet",
        id="action-foreign-responsible",
    ),
    pytest.param(
        lambda w: update_risk(None, w["risk"], title="Risk", process=w["other_process"]),
        "En risk kan bara flyttas till en process i samma enhet",
        id="risk-moved-to-other-unit",
    ),
    # Checks and actions.
    pytest.param(
        lambda w: record_check(None, w["control"], performed_on=None, outcome=CheckOutcome.NO_REMARKS),
        "Ange datum då egenkontrollen genomfördes",
        id="check-without-date",
    ),
    pytest.param(
        lambda w: record_check(None, w["control"], performed_on=date(TEST_YEAR, 5, 1), outcome="ok"),
        "Okänt resultat för egenkontrollen",
        id="check-outcome-text",
    ),
    # Users and units.
    pytest.param(
        lambda w: create_user(None, email="ny@exempel.se", name="Ny", role=Role.READER, unit=w["unit"],
                              password="kort"),
        "Lösenordet måste ha minst 8 tecken",
        id="user-short-password",
    ),
    pytest.param(
        lambda w: create_user(None, email="inte-en-adress", name="Ny", role=Role.READER, unit=w["unit"],
                              password=PASSWORD),
        "Ange en giltig e-postadress",
        id="user-bad-email",
    ),
    pytest.param(
        lambda w: create_user(None, email=w["owner"].email.upper(), name="Ny", role=Role.READER, unit=w["unit"],
                              password=PASSWORD),
        "Det finns redan en användare med e-postadressen",
        id="user-duplicate-email",
    ),
    pytest.param(
        lambda w: create_user(None, email="ny@exempel.se", name="Ny", role="owner", unit=w["unit"],
                              password=PASSWORD),
        "Okänd roll",
        id="user-role-text",
    ),
    pytest.param(
        lambda w: create_unit(None, code="BFE", name="Dubblett"),
        "Det finns redan en enhet med kortnamnet bfe",
        id="unit-duplicate-code",
    ),
    pytest.param(lambda w: create_unit(None, code="Barn & familj", name="Barn"), "Kortnamnet får bara innehålla",
                 id="unit-bad-code"),
]


@pytest.mark.parametrize(("call", "message"), CASES)
def test_bad_input_is_refused_and_nothing_is_written(world, call, message):
    before = database_contents()

    with pytest.raises(DomainError, match=message) as caught:
        call(world)
    assert caught.value.message == str(caught.value)
    db.session.rollback()

    assert database_contents() == before


def test_a_refused_update_leaves_the_loaded_object_reloadable(world):
    assessment = world["assessment"]
    with pytest.raises(DomainError):
        update_assessment(None, assessment, likelihood=5, consequence=3, status=RiskStatus.NEW)
    db.session.rollback()
    assert (assessment.likelihood, assessment.consequence, assessment.version) == (2, 3, 1)


# --- the command line -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        pytest.param(["--role", "chef-ish", "--unit", "bfe"], PASSWORD, "Okänd roll: chef-ish", id="unknown-role"),
        pytest.param(["--role", "owner", "--unit", "finns-inte"], PASSWORD, "Okänd enhet: finns-inte",
                     id="unknown-unit"),
        pytest.param(["--role", "owner", "--unit", "bfe"], "kort", "Lösenordet måste ha minst 8 tecken",
                     id="short-password"),
        pytest.param(["--role", "owner", "--unit", "bfe"], "", "Lösenordet måste ha minst 8 tecken",
                     id="empty-password"),
    ],
)
def test_users_create_refuses_bad_input(app, unit, args, password, message):
    before = database_contents()
    result = app.test_cli_runner().invoke(args=["users", "create", "x@exempel.se", *args], input=f"{password}\n")
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    db.session.rollback()
    assert database_contents() == before
    assert db.session.scalar(select(User).where(User.email == "x@exempel.se")) is None


def test_users_create_lists_the_roles_when_the_role_is_unknown(app, unit):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "x@exempel.se", "--role", "chef-ish", "--unit", "bfe"], input=f"{PASSWORD}\n"
    )
    assert result.exit_code == 2
    for role in Role:
        assert role.value in result.output and role.label.lower() in result.output

