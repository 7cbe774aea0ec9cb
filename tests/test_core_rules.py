"""Each rule of the register is defined once, with its Python and SQL forms side by side: here both forms run on the
same data and must agree. (Swedish order and search text: tests/test_swedish_text.py.)"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import literal, select

from app.analysis.graph import level_of
from app.analysis.records import Band
from app.core.services.matrices import set_matrix
from app.core.unit_year import load_unit_year, matrices_for, matrix_for
from app.core.units import subtree_in, unit_subtree_ids
from app.extensions import db
from app.models import Action, ActionStatus, RiskMatrix, Unit
from app.models.matrix import DEFAULT_BANDS, band_rank
from tests.conftest import FIVE_BY_FIVE
from tests.query_counter import count_queries


def test_unit_subtree_in_sql_and_in_python_agree(make_unit) -> None:
    nämnd = make_unit(code="sn", name="Socialnämnden")
    förvaltning = make_unit(code="sf", name="Socialförvaltningen", parent=nämnd)
    barn = make_unit(code="bfe", name="Barn och familj", parent=förvaltning)
    vuxen = make_unit(code="vux", name="Vuxen", parent=förvaltning)
    boende = make_unit(code="hvb", name="HVB", parent=barn)
    foreign = make_unit(code="kf", name="Kulturförvaltningen")
    parent_of = dict(db.session.execute(select(Unit.id, Unit.parent_id)).tuples().all())

    expectations = {
        nämnd.id: {nämnd.id, förvaltning.id, barn.id, vuxen.id, boende.id},
        förvaltning.id: {förvaltning.id, barn.id, vuxen.id, boende.id},
        barn.id: {barn.id, boende.id},
        boende.id: {boende.id},
        foreign.id: {foreign.id},
    }
    for unit_id, expected in expectations.items():
        assert unit_subtree_ids(unit_id) == expected
        assert subtree_in(unit_id, parent_of) == expected


@pytest.mark.parametrize(
    ("start_year", "completed_on"),
    [(2024, None), (2026, None), (2027, None), (2024, date(2025, 3, 1)), (2025, date(2026, 1, 1)),
     (2026, date(2026, 11, 20)), (2025, date(2025, 12, 31))],
)
def test_visible_in_year_in_sql_and_in_python_agree(make_action, start_year, completed_on) -> None:
    fields = {"status": ActionStatus.DONE, "completed_on": completed_on, "follow_up": "Klart"} if completed_on else {}
    action = make_action(start_year=start_year, due_on=None, **fields)
    for year in range(2023, 2029):
        in_sql = db.session.scalar(select(Action.id).where(Action.id == action.id, Action.is_visible_in(year)))
        assert (in_sql is not None) == action.is_visible_in(year), year
    assert action.is_visible_in(start_year)
    assert not action.is_visible_in(start_year - 1)
    if completed_on:
        assert action.is_visible_in(completed_on.year)
        assert not action.is_visible_in(completed_on.year + 1)


@pytest.mark.parametrize("bands", [DEFAULT_BANDS, FIVE_BY_FIVE["bands"]], ids=["4x4", "5x5"])
def test_score_to_level_in_sql_in_python_and_in_the_graph_agree(unit, bands) -> None:
    size = 4 if bands is DEFAULT_BANDS else 5
    matrix = RiskMatrix(
        unit_id=unit.id, year=2026, likelihood_size=size, consequence_size=size,
        likelihood_labels=[str(n) for n in range(1, size + 1)],
        consequence_labels=[str(n) for n in range(1, size + 1)], bands=bands,
    )
    graph_bands = [Band(band["name"], band["colour"], band["min"]) for band in bands]
    for score in range(1, size * size + 1):
        level = matrix.level_for(score)
        assert level.rank == band_rank(score, [band["min"] for band in bands])
        graph_level = level_of(score, graph_bands)
        assert graph_level is not None and graph_level.name == level.name, score
        for other in matrix.levels():
            in_sql = db.session.scalar(select(matrix.in_level(other.name, literal(score))))
            assert bool(in_sql) == (other.name == level.name), (score, other.name)
    assert matrix.in_level("Finns inte", literal(1)) is None


def test_the_matrix_of_a_year_with_none_pinned_is_the_latest_earlier_one_for_one_unit_and_for_many(make_unit) -> None:
    """The documented rule: the year's own matrix, else a copy of the latest earlier year's, else Socialstyrelsen's."""
    five = make_unit(code="fem", name="Femgradig")
    plain = make_unit(code="fyra", name="Fyrgradig")
    set_matrix(None, five, 2025, **FIVE_BY_FIVE)
    db.session.commit()

    for year, expected in ((2024, 4), (2025, 5), (2026, 5), (2030, 5)):
        assert matrix_for(five, year).likelihood_size == expected, year
        assert matrices_for({five.id, plain.id}, year)[five.id].likelihood_size == expected, year
        assert matrix_for(plain, year).likelihood_size == 4
        assert matrices_for({five.id, plain.id}, year)[plain.id].likelihood_size == 4
    assert [level.lower for level in matrices_for({five.id}, 2026)[five.id].levels()] == [1, 5, 10, 17]


def test_a_units_year_loads_in_three_queries_however_deep_the_tree(make_unit) -> None:
    """Plan, lock state, every sub-unit's matrix and the subtree: a fixed number of queries, not one per level."""
    top = make_unit(code="top", name="Nämnden")
    set_matrix(None, top, 2025, **FIVE_BY_FIVE)
    parent = top
    for depth in range(6):
        parent = make_unit(code=f"niva-{depth}", name=f"Nivå {depth}", parent=parent)
    db.session.commit()
    db.session.expire_all()
    assert top.code == "top"  # loaded before counting: the caller already has its unit

    with count_queries() as queries:
        year = load_unit_year(top, 2026)

    assert len(queries) == 3
    assert len(year.unit_ids) == 7
    assert year.matrix.likelihood_size == 5  # copied from 2025
    assert year.matrices[parent.id].likelihood_size == 4  # a sub-unit with no matrix of its own
    assert not year.is_locked
    year.assert_open()
