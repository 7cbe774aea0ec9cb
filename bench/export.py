"""Benchmark: the Excel export of a 100,000-line kvalitetsplan against raw openpyxl writing the same cells, and the
same plan loaded from a database first.

Run as `.venv/bin/python bench/export.py [--runs N] [--tracemalloc]`. Builds the plan in memory, writes it with
write_workbook, reads the file back and writes the very same cells (values, types, styles, merged ranges, row
heights, page breaks) with plain openpyxl write-only mode: the reference. The same plan is then stored in a
temporary SQLite file database with bulk inserts (rows valid for the models), and load_plan_data + write_workbook is
timed as a third side. With
BENCH_DATABASE_URL or TEST_DATABASE_URL set, a PostgreSQL side is added too (in a new database on that server,
dropped afterwards). The sides run interleaved (write, raw, load + write, write, raw, …), N ≥ 5 times each (default
5; fewer fails), and each figure is the median of its side; memory is that of the first write and raw runs,
before the database grows the process. Exits 1 when the write is more than 1.3× the raw time (or its memory
more than 1.5× the raw memory); the database figures are reported, not gated.

Peak memory is the rise of the process's resident memory: tracemalloc slows openpyxl about fivefold, which would
take this run to minutes; --tracemalloc adds its exact peaks as well (and gates on them too).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import html
import os
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402
from openpyxl.cell.cell import ERROR_CODES  # noqa: E402
from openpyxl.styles.stylesheet import apply_stylesheet  # noqa: E402
from openpyxl.utils import column_index_from_string  # noqa: E402
from openpyxl.worksheet.cell_range import CellRange  # noqa: E402
from openpyxl.worksheet.dimensions import RowDimension  # noqa: E402
from openpyxl.worksheet.pagebreak import Break  # noqa: E402
from sqlalchemy import Table, create_engine, insert, make_url  # noqa: E402
from sqlalchemy import text as sql  # noqa: E402

import config  # noqa: E402
from app import create_app  # noqa: E402
from app.core.heat_map import build_grid  # noqa: E402
from app.core.unit_year import default_matrix  # noqa: E402
from app.core.year_plan import (  # noqa: E402
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
from app.core.year_plan_loader import load_plan_data  # noqa: E402
from app.excel.export.workbook import ExportOptions, write_workbook  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    Action,
    ActionStatus,
    Assessment,
    CheckOutcome,
    Control,
    ControlCheck,
    Frequency,
    Plan,
    PlanStatus,
    Process,
    QualityArea,
    Risk,
    RiskMatrix,
    RiskStatus,
    Role,
    Unit,
    User,
    risk_actions,
    risk_controls,
)

LINES = 100_000
PROCESSES = 500
RISKS_PER_PROCESS = 40  # 20,000 risks
CONTROLS_PER_RISK = 5  # a risk's lines: its egenkontroller beside its åtgärder, so 5 lines each, 100,000 in all
ACTIONS_PER_RISK = 2
CONTROLS = 2_000
CHECKS_PER_CONTROL = 4
RUNS = 5  # per side, interleaved; the figures are medians
TIME_TARGET, MEMORY_TARGET = 1.3, 1.5
CELL = re.compile(r'<c r="([A-Z]+)([0-9]+)"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?\s*(?:/>|>(.*?)</c>)', re.S)
TEXT = re.compile(r"<t[^>]*>(.*?)</t>", re.S)
VALUE = re.compile(r"<v>(.*?)</v>")
MERGE = re.compile(r'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
HEIGHT = re.compile(r'<row r="([0-9]+)"[^>]*? ht="([0-9.]+)"')
BREAK = re.compile(r'<brk id="([0-9]+)"')
YEAR = 2026
WORDS = "förhandsbedömning utredning rutin delaktighet genomförandeplan uppföljning journal avvikelse".split()


def text(seed: int, words: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(words)).capitalize() + f" {seed}"


def build_plan(processes: int = PROCESSES, control_count: int = CONTROLS) -> PlanData:
    """A plan of LINES appendix lines, with every optional field filled as a real one would be."""
    matrix = default_matrix(None, YEAR)
    people = [Person(f"person{i}@exempel.se", f"Person {i}") for i in range(200)]
    linked: dict[int, list[str]] = {}  # each egenkontroll's risks, as the loader gives them
    for r in range(processes * RISKS_PER_PROCESS):
        for k in range(CONTROLS_PER_RISK):
            linked.setdefault((r + k * 7) % control_count, []).append(f"R-{r:012X}")
    controls = tuple(
        ControlData(
            i, f"E-{i:012X}", text(i, 4), text(i, 20), "Stickprov", Frequency.QUARTERLY, people[i % 200], False,
            tuple(
                CheckData(f"G-{i * 10 + k:012X}", date(YEAR, 1 + k * 3, 15), CheckOutcome.NO_REMARKS, text(k, 8),
                          people[k])
                for k in range(CHECKS_PER_CONTROL)
            ),
            tuple(linked.get(i, ())),
            "bench",
        )
        for i in range(control_count)
    )
    actions: list[ActionData] = []
    process_data = []
    risk_number = 0
    counts: dict[tuple[int, int], int] = {}
    for p in range(processes):
        risks = []
        for _ in range(RISKS_PER_PROCESS):
            r = risk_number
            risk_number += 1
            mine = []
            for _ in range(ACTIONS_PER_RISK):
                a = len(actions)
                done = a % 3 == 0
                actions.append(
                    ActionData(
                        a, f"A-{a:012X}", text(a, 10), text(a, 30), people[a % 200], YEAR, date(YEAR, 6, 30),
                        ActionStatus.DONE if done else ActionStatus.IN_PROGRESS, text(a, 12) if done else "",
                        date(YEAR, 5, 1) if done else None, False, done, (f"R-{r:012X}",), "bench",
                    )
                )
                mine.append(actions[-1])
            likelihood, consequence = 1 + r % 4, 1 + (r // 4) % 4
            counts[(likelihood, consequence)] = counts.get((likelihood, consequence), 0) + 1
            assessment = AssessmentData(
                likelihood, consequence, RiskStatus.IN_PROGRESS, text(r, 6), matrix.level_for(likelihood * consequence)
            )
            risks.append(
                RiskData(
                    r, f"R-{r:012X}", text(r, 8), text(r, 25), QualityArea.SAFETY, False, assessment,
                    tuple(controls[(r + k * 7) % control_count] for k in range(CONTROLS_PER_RISK)), tuple(mine),
                )
            )
        process_data.append(
            ProcessData(p, f"P-{p:012X}", None, text(p, 3), text(p, 15), people[p % 200], p, False, 0, tuple(risks),
                        "bench")
        )
    return PlanData(
        unit_code="bench",
        unit_name="Benchmarkenheten",
        year=YEAR,
        status=PlanStatus.ADOPTED,
        exported_at=datetime.now(UTC),
        matrix=MatrixData(
            tuple(matrix.likelihood_labels), tuple(matrix.consequence_labels), tuple(matrix.levels()),
            build_grid(matrix, counts), 0,
        ),
        processes=tuple(process_data),
        controls=controls,
        actions=tuple(actions),
    )


Cells = list[tuple[int, list[tuple[int, object, str, object]]]]  # (row, [(column, value, data type, style)])


@dataclass
class Sheet:
    """A sheet as written: what the raw writer repeats."""

    title: str
    rows: Cells
    merged: list[str]
    heights: dict[int, float]  # row → its custom height
    breaks: list[int]  # rows a manual page break follows


def read_back(path: Path) -> list[Sheet]:
    """Each sheet's cells (value, type, style objects), merged ranges, row heights and page breaks, as written.

    The sheet XML is scanned with a regular expression (openpyxl writes it in one fixed shape): parsing 170,000 rows
    with openpyxl or ElementTree would take longer than the writing being measured."""
    workbook = Workbook()
    styles: dict[int, object] = {}
    sheets = []
    with zipfile.ZipFile(path) as archive:
        apply_stylesheet(archive, workbook)  # the file's fonts, fills and alignments, by style id
        names = re.findall(r'<sheet name="([^"]*)"', archive.read("xl/workbook.xml").decode())
        for number, title in enumerate(map(html.unescape, names), 1):
            xml = archive.read(f"xl/worksheets/sheet{number}.xml").decode()
            rows: dict[int, list] = {}
            for match in CELL.finditer(xml):
                letters, row, style_id, kind, inner = match.groups()
                rows.setdefault(int(row), []).append(
                    (column_index_from_string(letters), *_value(kind or "n", inner or ""),
                     _style(int(style_id or 0), workbook, styles))
                )
            heights = {int(row): float(height) for row, height in HEIGHT.findall(xml)}
            breaks = [int(row) for row in BREAK.findall(xml)]
            sheets.append(Sheet(title, sorted(rows.items()), MERGE.findall(xml), heights, breaks))
    return sheets


def _value(kind: str, inner: str) -> tuple[object, str]:
    if kind == "inlineStr":
        return html.unescape("".join(TEXT.findall(inner))), "s"
    number = VALUE.search(inner)
    if number is None:
        return None, kind
    return (float(number[1]) if "." in number[1] else int(number[1])), kind


def _style(style_id: int, workbook, styles: dict[int, object]):
    if style_id and style_id not in styles:
        array = workbook._cell_styles[style_id]
        styles[style_id] = (
            workbook._fonts[array.fontId], workbook._fills[array.fillId],
            workbook._alignments[array.alignmentId], bool(array.quotePrefix),
        )
    return styles.get(style_id)


def write_raw(sheets: list[Sheet], output: Path) -> None:
    """Plain openpyxl write-only: the same cells with the same fonts, fills, alignments and types, the same row
    heights and page breaks. Each distinct style is set once through the public setters and copied to its cells (as
    the export does: the setters alone would make this baseline twice as slow); a row's height is one shared
    RowDimension per distinct height, there while the row is appended; merged ranges go straight into the set
    (MultiCellRange.add is quadratic), page breaks in one assignment (RowBreak.append is quadratic)."""
    workbook = Workbook(write_only=True)
    prepared: dict[int, object] = {}
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.title)
        dimensions: dict[float, RowDimension] = {}
        written = 0
        for number, cells in sheet.rows:
            while written < number - 1:
                written += 1
                _append(ws, written, [], sheet.heights, dimensions)
            values = [None] * (max((c[0] for c in cells), default=0))
            for column, value, kind, style in cells:
                if style is None and not (kind == "s" and (value.startswith("=") or value in ERROR_CODES)):
                    values[column - 1] = value  # append() infers the same type
                    continue
                cell = WriteOnlyCell(ws, value)
                cell.data_type = kind
                if style is not None:
                    if id(style) not in prepared:
                        prototype = WriteOnlyCell(ws)
                        prototype.font, prototype.fill, prototype.alignment, prototype.quotePrefix = style
                        prepared[id(style)] = prototype._style
                    cell._style = copy(prepared[id(style)])
                values[column - 1] = cell
            _append(ws, number, values, sheet.heights, dimensions)
            written += 1
        for ref in sheet.merged:
            ws.merged_cells.ranges.add(CellRange(ref))
        if sheet.breaks:
            ws.row_breaks.brk = tuple(Break(id=row) for row in sheet.breaks)
    workbook.save(output)

def store_plan(plan: PlanData) -> int:
    """Insert the plan as a register of the current app's database (core executemany inserts, not the services: the
    services would take far longer than the bench). The rows are the ones the services would write for it; returns
    the unit's id."""
    unit_id = 1
    people: dict[Person, int] = {}

    def person(someone: Person | None) -> int | None:
        return None if someone is None else people.setdefault(someone, len(people) + 1)

    process_ids = {p.ref: p.id for p in plan.processes}
    processes = [
        {"id": p.id, "ref": p.ref, "unit_id": unit_id, "parent_id": process_ids.get(p.parent_ref or ""),
         "title": p.title, "description": p.description, "owner_id": person(p.owner), "sort_order": p.sort_order,
         "is_archived": p.is_archived}
        for p in plan.processes
    ]
    risks, assessments, control_links, action_links = [], [], [], []
    for process in plan.processes:
        for risk in process.risks:
            risks.append({"id": risk.id, "ref": risk.ref, "process_id": process.id, "title": risk.title,
                          "description": risk.description, "quality_area": risk.quality_area,
                          "is_archived": risk.is_archived, "sort_order": len(risks)})
            if risk.assessment is not None:
                a = risk.assessment
                assessments.append({"risk_id": risk.id, "year": plan.year, "likelihood": a.likelihood,
                                    "consequence": a.consequence, "status": a.status, "comment": a.comment})
            control_links += [
                {"risk_id": risk.id, "control_id": c.id, "position": k} for k, c in enumerate(risk.controls)
            ]
            action_links += [
                {"risk_id": risk.id, "action_id": a.id, "position": k} for k, a in enumerate(risk.actions)
            ]
    controls = [
        {"id": c.id, "ref": c.ref, "unit_id": unit_id, "title": c.title, "description": c.description,
         "method": c.method, "frequency": c.frequency, "responsible_id": person(c.responsible),
         "is_archived": c.is_archived}
        for c in plan.controls
    ]
    checks = [
        {"ref": check.ref, "control_id": c.id, "year": plan.year, "performed_on": check.performed_on,
         "outcome": check.outcome, "findings": check.findings, "performed_by_id": person(check.performed_by)}
        for c in plan.controls for check in c.checks
    ]
    actions = [
        {"id": a.id, "ref": a.ref, "unit_id": unit_id, "title": a.title, "description": a.description,
         "responsible_id": person(a.responsible), "start_year": a.start_year, "due_on": a.due_on,
         "status": a.status, "follow_up": a.follow_up, "completed_on": a.completed_on, "is_archived": a.is_archived}
        for a in plan.actions
    ]
    users = [
        {"id": number, "email": someone.email, "name": someone.name, "password_hash": "!", "role": Role.OWNER,
         "unit_id": unit_id}
        for someone, number in people.items()
    ]
    matrix = default_matrix(None, plan.year)
    with db.engine.begin() as connection:
        connection.execute(insert(Unit), [{"id": unit_id, "code": plan.unit_code, "name": plan.unit_name}])
        connection.execute(insert(RiskMatrix), [{
            "unit_id": unit_id, "year": plan.year, "likelihood_size": matrix.likelihood_size,
            "consequence_size": matrix.consequence_size, "likelihood_labels": matrix.likelihood_labels,
            "consequence_labels": matrix.consequence_labels, "bands": matrix.bands}])
        connection.execute(insert(Plan), [{"unit_id": unit_id, "year": plan.year, "status": plan.status}])
        for table, rows in ((User, users), (Process, processes), (Risk, risks), (Assessment, assessments),
                            (Control, controls), (ControlCheck, checks), (Action, actions),
                            (risk_controls, control_links), (risk_actions, action_links)):
            connection.execute(insert(table), _in_schema(table, rows))
    return unit_id


def _in_schema(table, rows: list[dict]) -> list[dict]:
    """The rows without the order columns (risks.sort_order, the links' position) the schema may not have yet."""
    columns = set((table if isinstance(table, Table) else table.__table__).c.keys())
    missing = {"sort_order", "position"} - columns
    return [{key: value for key, value in row.items() if key not in missing} for row in rows] if missing else rows


@dataclass
class Database:
    name: str  # as printed
    app: Flask
    unit_id: int


@contextmanager
def databases(plan: PlanData, folder: str) -> Iterator[list[Database]]:
    """The plan stored in a SQLite file database, and in a new PostgreSQL database when a server is named."""
    urls = [("SQLite", f"sqlite:///{folder}/bench.sqlite3")]
    server_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    admin, name = None, f"rr_bench_{uuid.uuid4().hex[:8]}"
    if server_url:
        server = make_url(config.database_url(server_url))
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sql(f'CREATE DATABASE "{name}"'))
        urls.append(("PostgreSQL", server.set(database=name).render_as_string(hide_password=False)))
    found = []
    try:
        for label, url in urls:
            app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "CURRENT_YEAR": YEAR})
            with app.app_context():
                db.create_all()
                started = time.perf_counter()
                unit_id = store_plan(plan)
                print(f"{label}: register stored in {time.perf_counter() - started:.1f} s")
            found.append(Database(label, app, unit_id))
        yield found
    finally:
        for database in found:
            with database.app.app_context():
                db.session.remove()
                db.engine.dispose()
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def _append(ws, number: int, values: list, heights: dict[int, float], dimensions: dict[float, RowDimension]) -> None:
    """Append row `number` with its height, if it has one (write-only sheets read it while appending the row)."""
    height = heights.get(number)
    if height is not None:
        if height not in dimensions:
            dimensions[height] = RowDimension(ws, ht=height, customHeight=True)
        ws.row_dimensions[number] = dimensions[height]
    ws.append(values)
    if height is not None:
        del ws.row_dimensions[number]


def warm_up(path: Path, options: ExportOptions) -> None:
    """Both writers once on a small plan, so that neither pays for first imports and caches in its timed run."""
    small = build_plan(processes=1, control_count=20)
    write_workbook(small, path, options)
    write_raw(read_back(path), path)


@dataclass
class Run:
    seconds: float
    memory: int  # bytes the resident memory rose by
    load: float = 0.0  # of seconds, those spent in load_plan_data


_malloc_trim = getattr(ctypes.CDLL(ctypes.util.find_library("c") or None), "malloc_trim", None)


def measured(run: Callable[[], float | None]) -> Run:
    """Time and peak resident-memory growth (Linux's VmHWM, reset first) of one run; run may return its load time."""
    gc.collect()
    if _malloc_trim is not None:
        _malloc_trim(0)  # what the previous run freed goes back to the system, so this run's growth is its own
    gc.freeze()  # the plan and the cells read back are long-lived: no collection should walk them during a run
    Path("/proc/self/clear_refs").write_text("5")  # resets the high-water mark to the current resident size
    before = _status("VmRSS")
    started = time.perf_counter()
    load = run()
    seconds = time.perf_counter() - started
    memory = _status("VmHWM") - before
    gc.unfreeze()
    return Run(seconds, memory, load or 0.0)


def load_and_write(database: Database, path: Path, options: ExportOptions) -> Callable[[], float]:
    """load_plan_data + write_workbook in a fresh session, as a request does; the run returns the load's seconds."""

    def run() -> float:
        with database.app.app_context():
            unit = db.session.get(Unit, database.unit_id)
            assert unit is not None
            started = time.perf_counter()
            plan = load_plan_data(unit, YEAR)
            loaded = time.perf_counter() - started
            write_workbook(plan, path, options)
            db.session.remove()
        return loaded

    return run


def traced_peak(run) -> int:
    """Peak bytes allocated by Python during run (tracemalloc: exact, but makes the run about five times slower)."""
    gc.collect()
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def same_shape(sheets: list[Sheet], expected: list[Sheet]) -> bool:
    """The same sheets, with as many rows, merged ranges and page breaks each: the plan loaded is the plan stored."""
    return [(s.title, len(s.rows), len(s.merged), s.breaks) for s in sheets] == [
        (s.title, len(s.rows), len(s.merged), s.breaks) for s in expected
    ]


def median(runs: list[Run], field: str = "seconds") -> float:
    return statistics.median(getattr(run, field) for run in runs)


def main() -> int:
    started = time.perf_counter()
    with_tracemalloc = "--tracemalloc" in sys.argv
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else RUNS
    plan = build_plan()
    options = ExportOptions(score=True, status=True, responsible=True)
    with tempfile.TemporaryDirectory() as folder:
        ours_path, raw_path = Path(folder, "export.xlsx"), Path(folder, "raw.xlsx")
        loaded_path = Path(folder, "loaded.xlsx")
        warm_up(Path(folder, "warm-up.xlsx"), options)
        # The first write and raw runs come before anything else grows the process: the memory figures are theirs
        # (later runs reuse memory that earlier ones freed, and the database runs free the most).
        ours = [measured(lambda: write_workbook(plan, ours_path, options))]
        sheets = read_back(ours_path)
        raw = [measured(lambda: write_raw(sheets, raw_path))]
        with databases(plan, folder) as stored:
            loaded: dict[str, list[Run]] = {database.name: [] for database in stored}
            for number in range(runs):  # interleaved: a slower minute on a shared machine falls on every side
                if number:
                    ours.append(measured(lambda: write_workbook(plan, ours_path, options)))
                    raw.append(measured(lambda: write_raw(sheets, raw_path)))
                for database in stored:
                    loaded[database.name].append(measured(load_and_write(database, loaded_path, options)))
                    if number == 0 and not same_shape(read_back(loaded_path), sheets):
                        print(f"FAIL: the export of the plan loaded from {database.name} is not the same size")
                        return 1
                print(f"  run {number + 1}/{runs}: write {ours[-1].seconds:.2f} s, raw {raw[-1].seconds:.2f} s"
                      + "".join(f", {name}: load {side[-1].load:.2f} s + write {side[-1].seconds - side[-1].load:.2f} s"
                                for name, side in loaded.items()), flush=True)
        if with_tracemalloc:
            ours_traced = traced_peak(lambda: write_workbook(plan, ours_path, options))
            raw_traced = traced_peak(lambda: write_raw(sheets, raw_path))
        size, raw_size = os.path.getsize(ours_path), os.path.getsize(raw_path)
    appendix_rows = len(sheets[0].rows)  # its lines, with the title, the header and the legend
    raw_time = median(raw)
    time_ratio, memory_ratio = median(ours) / raw_time, ours[0].memory / max(raw[0].memory, 1)
    print(f"appendix sheet: {appendix_rows:,} rows, {len(sheets[0].breaks):,} page breaks; "
          f"{sum(len(sheet.rows) for sheet in sheets):,} rows in all; "
          f"files {size / 1e6:.1f} MB (export) and {raw_size / 1e6:.1f} MB (raw)")
    print(f"medians of {runs} interleaved runs per side:")
    print(f"  write_workbook: {median(ours):6.2f} s, peak memory +{ours[0].memory / 1e6:6.1f} MB (first run)")
    print(f"  raw openpyxl:   {raw_time:6.2f} s, peak memory +{raw[0].memory / 1e6:6.1f} MB (first run)")
    print(f"write: {time_ratio:.2f}× raw openpyxl (target ≤ {TIME_TARGET}×)")
    print(f"memory: {memory_ratio:.2f}× raw openpyxl (target ≤ {MEMORY_TARGET}×; peak resident memory)")
    write_time = median(ours)
    for name, side in loaded.items():
        load_time = median(side, "load")
        print(f"{name}, the same plan stored, not gated:")
        print(f"  load from database: {load_time:.2f} s median ({load_time / write_time:.2f}× the write)")
        print(f"  load + write: {median(side) / raw_time:.2f}× raw openpyxl ({median(side):.2f} s median; "
              f"peak memory +{max(r.memory for r in side) / 1e6:.0f} MB at least)")
    if with_tracemalloc:
        memory_ratio = max(memory_ratio, ours_traced / raw_traced)
        print(f"tracemalloc peaks: {ours_traced / 1e6:.1f} MB and {raw_traced / 1e6:.1f} MB, "
              f"ratio {ours_traced / raw_traced:.2f}× (target ≤ {MEMORY_TARGET}×)")
    print(f"bench time {time.perf_counter() - started:.0f} s")
    if runs < RUNS:
        print(f"FAIL: {runs} runs per side; the check needs at least {RUNS}")
        return 1
    failed = appendix_rows < LINES or time_ratio > TIME_TARGET or memory_ratio > MEMORY_TARGET
    if failed:
        print("FAIL: above target")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
