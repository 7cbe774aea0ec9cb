"""The appendix on paper: rendered by LibreOffice to PDF and read back word by word with pdftotext -bbox-layout."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from collections import Counter
from datetime import UTC, date, datetime
from html import unescape
from itertools import pairwise
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.core.heat_map import build_grid
from app.core.unit_year import default_matrix
from app.core.year_plan import (
    ActionData,
    AssessmentData,
    CheckData,
    ControlData,
    MatrixData,
    Person,
    PlanData,
    ProcessData,
    RiskData,
)
from app.excel.export.workbook import ExportOptions, write_workbook
from app.excel.layout import APPENDIX_LEGEND, APPENDIX_SHEET, CONTINUED
from app.models import ActionStatus, CheckOutcome, Frequency, PlanStatus, RiskStatus
from tests.conftest import TEST_YEAR

rendered = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler's pdftotext render and read the PDF",
)

WORDS = ["förhandsbedömning", "utredning", "rutin", "delaktighet", "genomförandeplan", "uppföljning", "journal",
         "avvikelse", "handläggare", "barnet", "vårdnadshavare", "ärendegenomgång", "dokumentation",
         "skyddsbedömning", "socialnämnden", "placering", "familjehem", "kvalitetsledningssystemet", "checklista",
         "medarbetare"]
HEADER = ["Process", "Risk", "Egenkontroll", "Åtgärd"]


def sentence(seed: int, words: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 5) % len(WORDS)] for i in range(words)).capitalize() + f" {seed}."


def build_plan(processes: int, risks: int, controls: int, actions: int, *, long: bool) -> PlanData:
    """A plan shaped like a municipality's table: long sentences (a risk up to ~230, an åtgärd up to ~490 letters)
    when long, several åtgärder per risk, performed egenkontroller and followed-up åtgärder."""
    matrix = default_matrix(None, TEST_YEAR)
    person = Person("anna@exempel.se", "Anna Andersson")
    counter = iter(range(1_000_000))
    process_data = []
    all_controls: list[ControlData] = []
    all_actions: list[ActionData] = []
    for p in range(processes):
        risk_data = []
        for r in range(risks):
            n = next(counter)
            mine_controls = tuple(
                ControlData(n * 10 + k, f"E-{n * 10 + k:012X}", sentence(n + k, 3 + (6 if long and k == 0 else 0)),
                            "", "", Frequency.QUARTERLY, person, False,
                            (CheckData(f"G-{n * 10 + k:012X}", date(TEST_YEAR, 10, 12), CheckOutcome.NO_REMARKS, "",
                                       person),) if (n + k) % 2 == 0 else (), ())
                for k in range(controls)
            )
            mine_actions = tuple(
                ActionData(n * 10 + k, f"A-{n * 10 + k:012X}", sentence(n * 3 + k, 12 + (40 if long and k % 2 else 0)),
                           "", person, TEST_YEAR, None, ActionStatus.DONE if k % 2 == 0 else ActionStatus.PLANNED,
                           sentence(n + 5, 10 + (20 if long else 0)) if k % 2 == 0 else "", None, False, k % 2 == 0,
                           ())
                for k in range(actions)
            )
            all_controls += mine_controls
            all_actions += mine_actions
            assessment = AssessmentData(3, 2, RiskStatus.IN_PROGRESS, "", matrix.level_for(6))
            risk_data.append(RiskData(n, f"R-{n:012X}", sentence(n, 30 if long else 6), "", None, False, assessment,
                                      mine_controls, mine_actions))
        process_data.append(ProcessData(p, f"P-{p:012X}", None, sentence(p, 3 if long else 1), "", person, p, False,
                                        0, tuple(risk_data)))
    return PlanData(
        unit_code="bfe", unit_name="Barn- och familjeenheten", year=TEST_YEAR, status=PlanStatus.ADOPTED,
        exported_at=datetime(TEST_YEAR, 11, 23, tzinfo=UTC),
        matrix=MatrixData(tuple(matrix.likelihood_labels), tuple(matrix.consequence_labels), tuple(matrix.levels()),
                          build_grid(matrix, {}), 0),
        processes=tuple(process_data), controls=tuple(all_controls), actions=tuple(all_actions),
    )


Word = tuple[float, float, float, float, str]
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def render(plan: PlanData, tmp_path: Path, options: ExportOptions | None = None) -> tuple[list[list[Word]], Path]:
    """The workbook converted to PDF by LibreOffice (a fresh profile per run), as its pages' words."""
    path = tmp_path / "plan.xlsx"
    write_workbook(plan, path, options)
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=600,
    )
    html = subprocess.run(["pdftotext", "-bbox-layout", str(tmp_path / "plan.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(float(a), float(b), float(c), float(d), unescape(text))
                      for a, b, c, d, text in _WORD.findall(page)])
    return pages, path


def check_printout(pages: list[list[Word]], path: Path, plan: PlanData) -> None:
    rows = list(load_workbook(path)[APPENDIX_SHEET].iter_rows(values_only=True))
    title = f"{APPENDIX_SHEET} {plan.year} – {plan.unit_name}"
    assert rows[0][0] == title
    first = sorted(pages[0], key=lambda w: (round(w[1]), w[0]))
    assert " ".join(w[4] for w in first[: len(title.split())]) == title

    # Only the appendix is printed, and the pages count only its pages.
    total = len(pages)
    for number, page in enumerate(pages, 1):
        text = " ".join(w[4] for w in page)
        assert f"Sida {number} av {total}" in text
        assert "Typ ID Överordnad" not in text  # the Register's header

    # Every word of every cell is printed.
    # LibreOffice may break a line after a hyphen ("2026-" / "10-12"), so words are compared in pieces.
    expected = Counter(piece for row in rows for value in row if isinstance(value, str) for word in value.split()
                       for piece in _pieces(word))
    printed = Counter(piece for page in pages for w in page for piece in _pieces(w[4]))
    assert not expected - printed

    process_titles = {process.title for process in plan.processes}
    last_process = None
    for number, page in enumerate(pages, 1):
        # The column header on every page, in one line.
        header = {w[4]: w for w in page if w[4] in HEADER}
        assert set(header) == set(HEADER), f"page {number}"
        header_y = header["Process"][1]
        assert all(abs(w[1] - header_y) < 1 for w in header.values())
        # Each column from its heading to the next (optional columns, e.g. Riskvärde, end the Åtgärd column).
        heading_xs = sorted(w[0] for w in page if abs(w[1] - header_y) < 1)
        edges = [header[name][0] - 2 for name in HEADER]
        edges.append(next((x - 2 for x in heading_xs if x > header["Åtgärd"][0]), 10_000.0))
        body = [w for w in page if w[1] > header["Process"][3] and not w[4].startswith("Sida")]
        height = header["Process"][3] - header_y
        columns: list[list[Word]] = [[w for w in body if edges[i] <= w[0] < edges[i + 1]] for i in range(4)]
        # No two text lines of one column overlap: lines follow each other a line's height apart or more.
        for column in columns:
            tops = sorted({round(w[1], 1) for w in column})
            for above, below in pairwise(tops):
                assert below - above >= 0.85 * height, f"page {number}: lines at {above} and {below} overlap"
        # The page's first row names its process, "(forts.)" when it goes on from the page before.
        top = min(w[1] for w in body if not w[4].startswith("Förklaring"))
        first_row = " ".join(w[4] for w in sorted(columns[0], key=lambda w: (w[1], w[0])) if w[1] < top + height)
        assert first_row, f"page {number} does not name its process"
        named = " ".join(w[4] for w in sorted(columns[0], key=lambda w: (round(w[1]), w[0])))
        if last_process and named.startswith(last_process.split()[0]) and number > 1:
            starts_with = next(t for t in process_titles if named.startswith(t))
            if starts_with == last_process:
                assert named.startswith(last_process + CONTINUED), f"page {number}: {named[:60]}"
        found = [t for t in process_titles if t in named]
        if found:
            last_process = max(found, key=lambda t: named.rindex(t))

    # The legend under the table, on the last page.
    last = pages[-1]
    legend = [w for w in last if w[4] == APPENDIX_LEGEND.split()[0]]
    assert legend and legend[0][1] > max(w[1] for w in last if w[4] not in APPENDIX_LEGEND.split()
                                         and not w[4].startswith(("Sida", "av")) and not w[4].isdigit())
    # On one line: a legend wrapped inside a narrow cell is cut off at the row's bottom, yet pdftotext still finds it.
    legend_line = [w for w in last if abs(w[1] - legend[0][1]) < 1]
    assert " ".join(w[4] for w in sorted(legend_line, key=lambda w: w[0])) == APPENDIX_LEGEND


def _pieces(word: str) -> list[str]:
    return [piece for piece in re.split(r"(?<=-)", word) if piece]


@pytest.mark.slow
@rendered
def test_a_demo_like_plan_prints_right(tmp_path):
    plan = build_plan(4, 3, 1, 2, long=False)
    pages, path = render(plan, tmp_path, ExportOptions(score=True, status=True, responsible=True))
    check_printout(pages, path, plan)


@pytest.mark.slow
@rendered
def test_a_plan_like_a_municipalitys_table_prints_right(tmp_path):
    plan = build_plan(6, 4, 2, 3, long=True)
    pages, path = render(plan, tmp_path)
    assert len(pages) > 3
    check_printout(pages, path, plan)


@pytest.mark.slow
@rendered
def test_a_plan_of_2000_lines_prints_right(tmp_path):
    plan = build_plan(10, 100, 2, 2, long=False)
    pages, path = render(plan, tmp_path)
    check_printout(pages, path, plan)


def test_the_follow_up_is_shown_unless_hidden(tmp_path):
    plan = build_plan(1, 1, 1, 1, long=False)
    path = tmp_path / "plan.xlsx"
    heights = []
    for options, control, action in (
        (ExportOptions(), f"◆ {plan.controls[0].title} ({TEST_YEAR}-10-12, utan anmärkning)",
         f"{plan.actions[0].title}\n{plan.actions[0].follow_up} ✓"),
        (ExportOptions(follow_up=False), f"◆ {plan.controls[0].title}", f"{plan.actions[0].title} ✓"),
    ):
        write_workbook(plan, path, options)
        ws = load_workbook(path)[APPENDIX_SHEET]
        assert (ws["C3"].value, ws["D3"].value) == (control, action)
        heights.append(ws.row_dimensions[3].height)
    assert heights[0] > heights[1]  # the follow-up's line is made room for


def test_only_the_appendix_is_printed(tmp_path):
    path = tmp_path / "plan.xlsx"
    write_workbook(build_plan(1, 1, 1, 1, long=False), path)
    workbook = load_workbook(path)
    for ws in workbook.worksheets[1:]:
        assert ws.print_area == f"'{ws.title}'!$ZZ$1", ws.title  # one empty cell: nothing to print
