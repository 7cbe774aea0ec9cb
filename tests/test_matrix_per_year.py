"""A matrix per year: the coordinator sets scale, labels and bands; smaller scales flag, never clamp; locked years keep theirs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.errors import LockedYearError, ValidationError
from app.core.services.matrices import assessments_outside_scale, set_matrix
from app.extensions import db
from app.models import Assessment, RiskMatrix, Role
from app.plans.locking import lock_year
from tests.conftest import TEST_YEAR

THREE = {"likelihood_labels": ["Låg", "Medel", "Hög"], "consequence_labels": ["Liten", "Måttlig", "Stor"],
         "bands": [{"name": "Grön", "min": 1, "colour": "#00AA00"}, {"name": "Röd", "min": 5, "colour": "#cc0000"}]}


def bands_text(bands):
    return "\n".join(f"{b['name']}; {b['min']}; {b['colour']}" for b in bands)


def test_smaller_scale_flags_assessments_without_touching_them(unit, make_assessment):
    high = make_assessment(likelihood=4, consequence=4)
    make_assessment(likelihood=2, consequence=3)
    set_matrix(None, unit, TEST_YEAR, **THREE)
    db.session.commit()
    assert [a.id for a in assessments_outside_scale(unit, TEST_YEAR)] == [high.id]
    assert (db.session.get(Assessment, high.id).likelihood, db.session.get(Assessment, high.id).consequence) == (4, 4)
    matrix = db.session.scalar(select(RiskMatrix).where(RiskMatrix.year == TEST_YEAR))
    assert matrix.level_for(6).name == "Röd" and matrix.bands[0]["colour"] == "#00aa00"


def test_six_by_six_accepts_six(unit, make_risk):
    from app.core.services.assessments import assess_risk

    labels = [str(n) for n in range(1, 7)]
    set_matrix(None, unit, TEST_YEAR, likelihood_labels=labels, consequence_labels=labels,
               bands=[{"name": "Låg", "min": 1, "colour": "#00aa00"}, {"name": "Hög", "min": 20, "colour": "#aa0000"}])
    assessment = assess_risk(None, make_risk(), year=TEST_YEAR, likelihood=6, consequence=6)
    assert assessment.score == 36


@pytest.mark.parametrize(("change", "message"), [
    ({"likelihood_labels": ["a", "b"]}, "mellan 3 och 6"),
    ({"consequence_labels": list("abcdefg")}, "mellan 3 och 6"),
    ({"bands": []}, "minst en"),
    ({"bands": [{"name": "A", "min": 2, "colour": "#000000"}]}, "börja på riskvärde 1"),
    ({"bands": [{"name": "A", "min": 1, "colour": "röd"}]}, "#rrggbb"),
    ({"bands": [{"name": "A", "min": 1, "colour": "#000000"}, {"name": "B", "min": 1, "colour": "#111111"}]}, "öka"),
    ({"bands": [{"name": "A", "min": 1, "colour": "#000000"}, {"name": "a", "min": 3, "colour": "#111111"}]}, "samma namn"),
])
def test_invalid_matrices_are_refused(unit, change, message):
    with pytest.raises(ValidationError, match=message):
        set_matrix(None, unit, TEST_YEAR, **(THREE | change))
    db.session.rollback()
    assert db.session.scalar(select(RiskMatrix)) is None


def test_locked_year_keeps_its_matrix(unit, make_assessment, make_user):
    make_assessment()
    lock_year(make_user(role=Role.MANAGER), unit, TEST_YEAR)
    db.session.commit()
    with pytest.raises(LockedYearError):
        set_matrix(None, unit, TEST_YEAR, **THREE)
    db.session.rollback()
    assert db.session.scalar(select(RiskMatrix).where(RiskMatrix.year == TEST_YEAR)).likelihood_size == 4


def test_changing_next_year_leaves_this_year_alone(unit, make_assessment):
    make_assessment()
    set_matrix(None, unit, TEST_YEAR + 1, **THREE)
    db.session.commit()
    sizes = dict(db.session.execute(select(RiskMatrix.year, RiskMatrix.likelihood_size)).all())
    assert sizes == {TEST_YEAR: 4, TEST_YEAR + 1: 3}


def test_coordinator_edits_in_the_browser(client, login, unit, make_user, make_assessment):
    make_assessment(likelihood=4, consequence=4)
    login(make_user(role=Role.ADMIN))
    url = f"/enheter/{unit.id}/riskmatris/redigera?ar={TEST_YEAR}"
    assert "Mycket liten" in client.get(url).text
    response = client.post(url, data={"likelihood_labels": "Låg\nMedel\nHög", "consequence_labels": "Liten\nMåttlig\nStor",
                                      "bands": bands_text(THREE["bands"])})
    assert response.status_code == 302
    page = client.get(url).text
    assert "Bedömningar att granska (1)" in page
    bad = client.post(url, data={"likelihood_labels": "A\nB", "consequence_labels": "A\nB\nC", "bands": "Grön; ett; #00aa00"})
    assert bad.status_code == 400
    assert "Rad 1 i risknivåerna" in bad.text


@pytest.mark.parametrize("role", [Role.READER, Role.OWNER, Role.MANAGER])
def test_only_the_coordinator_may_edit(client, login, unit, make_user, role):
    login(make_user(role=role))
    url = f"/enheter/{unit.id}/riskmatris/redigera?ar={TEST_YEAR}"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"likelihood_labels": "A\nB\nC", "consequence_labels": "A\nB\nC",
                                  "bands": "X; 1; #000000"}).status_code == 403
    assert db.session.scalar(select(RiskMatrix)) is None
