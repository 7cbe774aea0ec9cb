"""Benchmark: the Excel export of a 100,000-line kvalitetsplan against raw openpyxl writing the same cells.

Run as `.venv/bin/python bench/export.py [--tracemalloc]`. Builds the plan in memory (no database), times
write_workbook, reads the file back, writes the very same cells (values, types, styles, merged ranges) with plain
openpyxl write-only mode, and compares time and peak memory. Exits 1 when a ratio is above its target.

Peak memory is the rise of the process's resident memory: tracemalloc slows openpyxl about fivefold, which would
take this run to minutes; --tracemalloc adds its exact peaks as well (and gates on them too).
"""

from __future__ import annotations

import gc
import html
import os
import re
import sys
import tempfile
import time
import tracemalloc
import zipfile
from copy import copy
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402
from openpyxl.cell.cell import ERROR_CODES  # noqa: E402
from openpyxl.styles.stylesheet import apply_stylesheet  # noqa: E402
from openpyxl.utils import column_index_from_string  # noqa: E402
from openpyxl.worksheet.cell_range import CellRange  # noqa: E402

from app.core.heat_map import build_grid  # noqa: E402
from app.core.unit_year import default_matrix  # noqa: E402
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
from app.excel.export.workbook import ExportOptions, write_workbook  # noqa: E402
from app.models import (  # noqa: E402
    ActionStatus,
    CheckOutcome,
    Frequency,
    PlanStatus,
    QualityArea,
    RiskStatus,
)

LINES = 100_000
PROCESSES = 500
RISKS_PER_PROCESS = 40  # 20,000 risks
CONTROLS_PER_RISK = 5  # a risk's lines: its egenkontroller beside its åtgärder, so 5 lines each, 100,000 in all
ACTIONS_PER_RISK = 2
CONTROLS = 2_000
CHECKS_PER_CONTROL = 4
TIME_TARGET, MEMORY_TARGET = 1.3, 1.5
CELL = re.compile(r'<c r="([A-Z]+)([0-9]+)"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?\s*(?:/>|>(.*?)</c>)', re.S)
TEXT = re.compile(r"<t[^>]*>(.*?)</t>", re.S)
VALUE = re.compile(r"<v>(.*?)</v>")
MERGE = re.compile(r'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
YEAR = 2026
WORDS = "förhandsbedömning utredning rutin delaktighet genomförandeplan uppföljning journal avvikelse".split()


def text(seed: int, words: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(words)).capitalize() + f" {seed}"


def build_plan(processes: int = PROCESSES, control_count: int = CONTROLS) -> PlanData:
    """A plan of LINES appendix lines, with every optional field filled as a real one would be."""
    matrix = default_matrix(None, YEAR)
    people = [Person(f"person{i}@exempel.se", f"Person {i}") for i in range(200)]
    controls = tuple(
        ControlData(
            i, f"E-{i:012X}", text(i, 4), text(i, 20), "Stickprov", Frequency.QUARTERLY, people[i % 200], False,
            tuple(
                CheckData(f"G-{i * 10 + k:012X}", date(YEAR, 1 + k * 3, 15), CheckOutcome.NO_REMARKS, text(k, 8),
                          people[k])
                for k in range(CHECKS_PER_CONTROL)
            ),
            (),
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
            for k in range(ACTIONS_PER_RISK):
                a = len(actions)
                done = a % 3 == 0
                actions.append(
                    ActionData(
                        a, f"A-{a:012X}", text(a, 10), text(a, 30), people[a % 200], YEAR, date(YEAR, 6, 30),
                        ActionStatus.DONE if done else ActionStatus.IN_PROGRESS, text(a, 12) if done else "",
                        date(YEAR, 5, 1) if done else None, False, done, (f"R-{r:012X}",),
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
            ProcessData(p, f"P-{p:012X}", None, text(p, 3), text(p, 15), people[p % 200], p, False, 0, tuple(risks))
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


def read_back(path: Path) -> list[tuple[str, Cells, list[str]]]:
    """Each sheet's cells (value, type, style objects) and merged ranges, as written: what the raw writer repeats.

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
            sheets.append((title, sorted(rows.items()), MERGE.findall(xml)))
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


def write_raw(sheets: list[tuple[str, Cells, list[str]]], output: Path) -> None:
    """Plain openpyxl write-only: the same cells with the same fonts, fills, alignments and types. Each distinct
    style is set once through the public setters and copied to its cells (as the export does: the setters alone
    would make this baseline twice as slow); merged ranges go straight into the set (MultiCellRange.add is
    quadratic)."""
    workbook = Workbook(write_only=True)
    prepared: dict[int, object] = {}
    for title, rows, merged in sheets:
        ws = workbook.create_sheet(title)
        written = 0
        for number, cells in rows:
            while written < number - 1:
                ws.append([])
                written += 1
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
            ws.append(values)
            written += 1
        for ref in merged:
            ws.merged_cells.ranges.add(CellRange(ref))
    workbook.save(output)


def warm_up(path: Path, options: ExportOptions) -> None:
    """Both writers once on a small plan, so that neither pays for first imports and caches in its timed run."""
    small = build_plan(processes=1, control_count=20)
    write_workbook(small, path, options)
    write_raw(read_back(path), path)


def peak_rss_growth(run) -> tuple[float, int]:
    """Seconds, and how far the process's resident memory rose above where it stood (Linux's VmHWM, reset first)."""
    gc.collect()
    gc.freeze()  # the plan and the cells read back are long-lived: no collection should walk them during a run
    Path("/proc/self/clear_refs").write_text("5")  # resets the high-water mark to the current resident size
    before = _status("VmRSS")
    started = time.perf_counter()
    run()
    return time.perf_counter() - started, _status("VmHWM") - before


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


def main() -> int:
    started = time.perf_counter()
    with_tracemalloc = "--tracemalloc" in sys.argv
    plan = build_plan()
    options = ExportOptions(score=True, status=True, responsible=True)
    with tempfile.TemporaryDirectory() as folder:
        ours_path, raw_path = Path(folder, "export.xlsx"), Path(folder, "raw.xlsx")
        warm_up(Path(folder, "warm-up.xlsx"), options)
        ours = peak_rss_growth(lambda: write_workbook(plan, ours_path, options))
        sheets = read_back(ours_path)
        raw = peak_rss_growth(lambda: write_raw(sheets, raw_path))
        if with_tracemalloc:
            ours_traced = traced_peak(lambda: write_workbook(plan, ours_path, options))
            raw_traced = traced_peak(lambda: write_raw(sheets, raw_path))
        size, raw_size = os.path.getsize(ours_path), os.path.getsize(raw_path)
    appendix_lines = len(sheets[0][1]) - 2
    time_ratio, memory_ratio = ours[0] / raw[0], ours[1] / max(raw[1], 1)
    print(f"plan: {appendix_lines:,} appendix lines, {sum(len(rows) for _, rows, _ in sheets):,} rows in all; "
          f"files {size / 1e6:.1f} MB (export) and {raw_size / 1e6:.1f} MB (raw)")
    print(f"write_workbook: {ours[0]:6.2f} s, peak memory +{ours[1] / 1e6:6.1f} MB")
    print(f"raw openpyxl:   {raw[0]:6.2f} s, peak memory +{raw[1] / 1e6:6.1f} MB")
    print(f"time ratio   {time_ratio:.2f}× (target ≤ {TIME_TARGET}×)")
    print(f"memory ratio {memory_ratio:.2f}× (target ≤ {MEMORY_TARGET}×; peak resident memory)")
    if with_tracemalloc:
        memory_ratio = max(memory_ratio, ours_traced / raw_traced)
        print(f"tracemalloc peaks: {ours_traced / 1e6:.1f} MB and {raw_traced / 1e6:.1f} MB, "
              f"ratio {ours_traced / raw_traced:.2f}× (target ≤ {MEMORY_TARGET}×)")
    print(f"bench time {time.perf_counter() - started:.0f} s")
    failed = appendix_lines < LINES or time_ratio > TIME_TARGET or memory_ratio > MEMORY_TARGET
    if failed:
        print("FAIL: above target")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
