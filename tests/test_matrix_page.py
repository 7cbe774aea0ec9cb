"""The unit's riskmatris page: counts per cell, the year's colours and scale, totals, and nothing leaking in."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from app.core.heat_map import build_grid
from app.core.services.assessments import assess_risk
from app.core.services.processes import set_archived as archive_process
from app.core.services.risks import create_risk
from app.core.services.risks import set_archived as archive_risk
from app.core.unit_year import default_matrix
from app.extensions import db
from app.models import Assessment, RiskMatrix, RiskStatus, Role
from tests.conftest import TEST_YEAR
from tests.query_counter import count_queries


class MatrixCells(HTMLParser):
    """The heat map's cells, (likelihood, consequence) → {count, href, label, style}, and its axis headers."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[int, int], dict] = {}
        self.row_headers: list[str] = []
        self.column_headers: list[str] = []
        self._in_matrix = self._header = False
        self._text: list[str] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "heat-map" in (attrs.get("class") or ""):
            self._in_matrix = True
        if not self._in_matrix:
            return
        if tag == "th" and attrs.get("scope") in ("row", "col"):
            self._header, self._text = attrs["scope"], []
        if tag in ("a", "span") and "cell" in (attrs.get("class") or "").split():
            self._open = {"href": attrs.get("href"), "label": attrs.get("aria-label") or attrs.get("title"),
                          "style": attrs.get("style")}

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_matrix = False
        if tag == "th" and self._header:
            (self.row_headers if self._header == "row" else self.column_headers).append(" ".join(self._text))
            self._header = False

    def handle_data(self, data):
        if self._header:
            self._text.append(data.strip())
        if self._open is not None and data.strip():
            # The first text of a cell is its count; its label names the cell.
            label = self._open["label"]
            likelihood, consequence = int(label.split()[1]), int(label.split("konsekvens ")[1].split()[0])
            self.cells[(likelihood, consequence)] = {**self._open, "count": int(data.strip())}
            self._open = None


def read_matrix(text: str) -> MatrixCells:
    parser = MatrixCells()
    parser.feed(text)
    return parser


@pytest.fixture
def reader(make_user, login):
    return login(make_user(role=Role.READER))


def assessed(process, likelihood: int, consequence: int, *, year: int = TEST_YEAR, title: str = "Risk"):
    risk = create_risk(None, process, title=title)
    assess_risk(None, risk, year=year, likelihood=likelihood, consequence=consequence, status=RiskStatus.NEW)
    return risk


def test_counts_per_cell_and_the_link_of_a_cell(client, unit, make_process, make_risk, reader):
    process = make_process(title="Utredning")
    for _ in range(2):
        assessed(process, 3, 4, title="Sen utredning")
    assessed(process, 1, 1, title="Liten risk")
    assessed(process, 2, 3, title="Mellanrisk")
    db.session.commit()

    page = client.get(f"/enheter/{unit.id}/riskmatris?ar={TEST_YEAR}")

    assert page.status_code == 200
    matrix = read_matrix(page.text)
    assert len(matrix.cells) == 16
    assert {key: cell["count"] for key, cell in matrix.cells.items() if cell["count"]} == {
        (3, 4): 2, (1, 1): 1, (2, 3): 1
    }
    top = matrix.cells[(3, 4)]
    assert top["label"] == "Sannolikhet 3 Stor, konsekvens 4 Katastrofal: 2 risker, riskvärde 12 (Mycket hög)"
    assert "background: #c62828" in top["style"] and "color: #ffffff" in top["style"]
    url = urlsplit(top["href"])
    assert url.path == "/risker/"
    assert parse_qs(url.query) == {
        "enhet": [str(unit.id)], "ar": [str(TEST_YEAR)], "sannolikhet": ["3"], "konsekvens": ["4"]
    }
    assert matrix.cells[(4, 1)]["href"] is None  # an empty cell is no link
    listed = client.get(top["href"]).text
    assert "Sen utredning" in listed and "Liten risk" not in listed
    # Highest likelihood at the top, konsekvens from left to right.
    assert [h.split()[0] for h in matrix.row_headers] == ["4", "3", "2", "1"]
    assert matrix.column_headers == ["1 Mindre", "2 Måttlig", "3 Betydande", "4 Katastrofal"]


def test_totals_per_level_and_risks_not_assessed(client, unit, make_process, make_risk, reader):
    process = make_process()
    assessed(process, 4, 4)
    assessed(process, 4, 3)
    assessed(process, 1, 2)
    assessed(process, 2, 2, year=TEST_YEAR - 1, title="Bara förra året")
    make_risk(process, title="Aldrig bedömd")
    db.session.commit()

    text = client.get(f"/enheter/{unit.id}/riskmatris?ar={TEST_YEAR}").text

    assert 'niva=Mycket+h%C3%B6g">2</a>' in text and 'niva=L%C3%A5g">1</a>' in text
    assert "Bedömda 2026</th><td></td><td class=\"num\">3</td>" in text
    assert "2 risker är inte bedömda för 2026" in text
    assert f"/risker/?enhet={unit.id}&amp;ar={TEST_YEAR}&amp;status=ej-bedomd" in text
    # The year switcher offers the years with assessments.
    assert f'/enheter/{unit.id}/riskmatris?ar={TEST_YEAR - 1}"' in text


def test_other_units_archived_and_other_years_are_not_counted(client, unit, make_unit, make_process, reader):
    sub_unit = make_unit(code="bfe-mott", name="Mottagningen", parent=unit)
    other = make_unit(code="hvo", name="Hemtjänst")
    assessed(make_process(title="Utredning"), 2, 2)
    assessed(make_process(title="Mottagning", unit=sub_unit), 2, 2)
    assessed(make_process(title="Hemtjänstinsats", unit=other), 2, 2)
    archive_risk(None, assessed(make_process(title="Arkiverad risk"), 2, 2), True)
    archived_process = make_process(title="Arkiverad process")
    assessed(archived_process, 2, 2)
    archive_process(None, archived_process, True)
    assessed(make_process(title="Annat år"), 2, 2, year=TEST_YEAR + 1)
    db.session.commit()

    page = client.get(f"/enheter/{unit.id}/riskmatris?ar={TEST_YEAR}")

    assert read_matrix(page.text).cells[(2, 2)]["count"] == 2  # the unit's own and its sub-unit's
    assert "Mottagningen" in page.text
    assert client.get(f"/enheter/{other.id}/riskmatris").status_code == 403


def test_a_five_by_five_year_uses_its_own_scale_and_colours(client, unit, make_process, reader):
    db.session.add(RiskMatrix(
        unit_id=unit.id, year=TEST_YEAR, likelihood_size=5, consequence_size=5,
        likelihood_labels=["Osannolik", "Mindre sannolik", "Möjlig", "Sannolik", "Nästan säker"],
        consequence_labels=["Försumbar", "Liten", "Måttlig", "Stor", "Allvarlig"],
        bands=[{"name": "Grön", "min": 1, "colour": "#00aa00"}, {"name": "Gul", "min": 5, "colour": "#ffee00"},
               {"name": "Röd", "min": 15, "colour": "#aa0000"}],
    ))
    db.session.commit()
    assessed(make_process(), 5, 5)
    db.session.commit()

    text = client.get(f"/enheter/{unit.id}/riskmatris?ar={TEST_YEAR}").text
    matrix = read_matrix(text)

    assert len(matrix.row_headers) == 5 and len(matrix.column_headers) == 5 and len(matrix.cells) == 25
    assert matrix.row_headers[0] == "5 Nästan säker" and matrix.column_headers[-1] == "5 Allvarlig"
    corner = matrix.cells[(5, 5)]
    assert corner["count"] == 1 and "background: #aa0000" in corner["style"]
    assert corner["label"].startswith("Sannolikhet 5 Nästan säker, konsekvens 5 Allvarlig: 1 risk,")
    assert "background: #000000" not in text and "#ffee00; color: #000000" in text  # black on yellow
    # The year before keeps the default 4×4.
    assert len(read_matrix(client.get(f"/enheter/{unit.id}/riskmatris?ar={TEST_YEAR - 1}").text).cells) == 16


def test_query_count_does_not_grow_with_the_number_of_risks(client, unit, make_process, reader):
    process = make_process()

    def queries() -> int:
        with count_queries() as counted:
            assert client.get(f"/enheter/{unit.id}/riskmatris?ar={TEST_YEAR}").status_code == 200
        return len(counted)

    for number in range(10):
        assessed(process, 1 + number % 4, 1 + number % 4)
    db.session.commit()
    few = queries()
    for number in range(190):
        assessed(process, 1 + number % 4, 1 + (number // 4) % 4)
    db.session.commit()
    assert db.session.scalar(select(func.count(Assessment.id))) == 200
    assert queries() == few


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/enheter/{unit}/riskmatris?ar=abc", 200),
        ("/enheter/{unit}/riskmatris?ar=-5", 200),
        ("/enheter/{unit}/riskmatris?ar=1066", 200),
        ("/enheter/{unit}/riskmatris?ar=99999999999999999999", 200),
        ("/enheter/987654/riskmatris", 404),
        ("/enheter/99999999999999999999/riskmatris", 404),
        ("/enheter/abc/riskmatris", 404),
    ],
)
def test_bad_parameters_never_give_a_server_error(client, unit, reader, path, status):
    assert client.get(path.format(unit=unit.id)).status_code == status


def test_build_grid_counts_scores_outside_the_scale():
    """Pure: a sub-unit on a 5×5 scale reports a 5 that a 4×4 unit's matrix has no cell for."""
    matrix = default_matrix(None, TEST_YEAR)
    grid = build_grid(matrix, {(4, 4): 3, (1, 1): 2, (5, 2): 1})
    assert [cell.likelihood for cell in (row[0] for row in grid.rows)] == [4, 3, 2, 1]
    assert grid.rows[0][3].count == 3 and grid.rows[0][3].level.name == "Mycket hög"
    assert [(total.level.name, total.count) for total in grid.totals] == [
        ("Mycket hög", 3), ("Hög", 0), ("Medel", 0), ("Låg", 2)
    ]
    assert (grid.assessed, grid.off_scale) == (5, 1)
