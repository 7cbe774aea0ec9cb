"""Benchmark: the Excel export of a 100,000-line kvalitetsplan against raw openpyxl writing the same cells.

Run as `.venv/bin/python bench/export.py`. Builds the plan in memory (no database), times write_workbook, reads the
file back and writes exactly its values and merged ranges with plain openpyxl write-only mode, then compares time and
peak memory (tracemalloc). Exits 1 when a ratio is above its target.
"""

from __future__ import annotations

import gc
import os
import re
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook, load_workbook  # noqa: E402
from openpyxl.worksheet.cell_range import CellRange  # noqa: E402

from app.excel.export import ExportOptions, write_workbook  # noqa: E402
from app.excel.plan_data import (  # noqa: E402
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
from app.models import ActionStatus, CheckOutcome, Frequency, PlanStatus, QualityArea, RiskStatus  # noqa: E402
from app.plans.services import default_matrix  # noqa: E402
from app.units.matrix import build_grid  # noqa: E402

LINES = 100_000
PROCESSES = 500
RISKS_PER_PROCESS = 40  # 20,000 risks
ACTIONS_PER_RISK = 5  # one line per åtgärd: 100,000 lines
CONTROLS = 2_000
CONTROLS_PER_RISK = 3
CHECKS_PER_CONTROL = 4
TIME_TARGET, MEMORY_TARGET = 1.3, 1.5
YEAR = 2026
WORDS = "förhandsbedömning utredning rutin delaktighet genomförandeplan uppföljning journal avvikelse".split()


def text(seed: int, words: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(words)).capitalize() + f" {seed}"


def build_plan() -> PlanData:
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
        for i in range(CONTROLS)
    )
    actions: list[ActionData] = []
    processes = []
    risk_number = 0
    counts: dict[tuple[int, int], int] = {}
    for p in range(PROCESSES):
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
                    tuple(controls[(r + k * 7) % CONTROLS] for k in range(CONTROLS_PER_RISK)), tuple(mine),
                )
            )
        processes.append(
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
        processes=tuple(processes),
        controls=controls,
        actions=tuple(actions),
    )


def read_back(path: Path) -> list[tuple[str, list[tuple], list[str]]]:
    """Each sheet's values and merged ranges, as written: the cells the raw writer must produce."""
    workbook = load_workbook(path, read_only=True)
    sheets = [(ws.title, [tuple(row) for row in ws.iter_rows(values_only=True)]) for ws in workbook.worksheets]
    workbook.close()
    with zipfile.ZipFile(path) as archive:
        merges = [
            re.findall(r'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', archive.read(f"xl/worksheets/sheet{i}.xml").decode())
            for i in range(1, len(sheets) + 1)
        ]
    return [(title, rows, merged) for (title, rows), merged in zip(sheets, merges)]


def write_raw(sheets: list[tuple[str, list[tuple], list[str]]], output: Path) -> None:
    """Plain openpyxl write-only: the same values and merged ranges, no styles, no text safety."""
    workbook = Workbook(write_only=True)
    for title, rows, merged in sheets:
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(row)
        for ref in merged:
            # MultiCellRange.add is quadratic; the export adds to the set directly too.
            ws.merged_cells.ranges.add(CellRange(ref))
    workbook.save(output)


def measure(run) -> tuple[float, int]:
    """Seconds without tracing, then peak traced bytes in a second run."""
    gc.collect()
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    gc.collect()
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


def main() -> int:
    started = time.perf_counter()
    plan = build_plan()
    options = ExportOptions(score=True, status=True, responsible=True)
    with tempfile.TemporaryDirectory() as folder:
        ours_path, raw_path = Path(folder, "export.xlsx"), Path(folder, "raw.xlsx")
        ours = measure(lambda: write_workbook(plan, ours_path, options))
        sheets = read_back(ours_path)
        appendix_lines = len(sheets[0][1]) - 2
        raw = measure(lambda: write_raw(sheets, raw_path))
        size = os.path.getsize(ours_path)
    time_ratio, memory_ratio = ours[0] / raw[0], ours[1] / raw[1]
    print(f"plan: {appendix_lines:,} appendix lines, {sum(len(rows) for _, rows, _ in sheets):,} rows in all, "
          f"{size / 1e6:.1f} MB")
    print(f"write_workbook: {ours[0]:6.2f} s, peak {ours[1] / 1e6:6.1f} MB")
    print(f"raw openpyxl:   {raw[0]:6.2f} s, peak {raw[1] / 1e6:6.1f} MB")
    print(f"time ratio   {time_ratio:.2f}× (target ≤ {TIME_TARGET}×)")
    print(f"memory ratio {memory_ratio:.2f}× (target ≤ {MEMORY_TARGET}×)")
    print(f"total bench time {time.perf_counter() - started:.0f} s")
    failed = appendix_lines < LINES or time_ratio > TIME_TARGET or memory_ratio > MEMORY_TARGET
    if failed:
        print("FAIL: above target")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
