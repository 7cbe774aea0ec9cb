"""Benchmark: building the skyddsgraf of a 50,000-node register from the database, against running every analysis.

Run as `.venv/bin/python bench/graph.py`. Generates a register of 50,000 nodes (processes, risks, egenkontroller,
åtgärder) and 100,000 edges in a temporary SQLite database with bulk core inserts, then times
(a) app.analysis.load.load_register + build_graph and (b) all analyses: coverage (every gap list, key egenkontroller,
exposure), trace of every top-level process and impact of the ten key egenkontroller. Target: (b) takes at most (a).
Also checks that the build makes as many queries for this register as for a one-process unit. Exits 1 on a miss.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from app import create_app  # noqa: E402
from app.analysis import graph as analysis  # noqa: E402
from app.analysis.load import load_register  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    Action,
    ActionStatus,
    Assessment,
    Control,
    Frequency,
    Process,
    Risk,
    RiskMatrix,
    RiskStatus,
    Unit,
    risk_actions,
    risk_controls,
)
from app.models.matrix import (  # noqa: E402
    DEFAULT_BANDS,
    DEFAULT_CONSEQUENCE_LABELS,
    DEFAULT_LIKELIHOOD_LABELS,
)
from tests.query_counter import count_queries  # noqa: E402

YEAR = 2026
UNITS = 5  # the root and four sub-units
PROCESSES, ROOTS_PER_UNIT = 5_000, 10
RISKS, CONTROLS, ACTIONS = 25_000, 10_000, 10_000  # 50,000 nodes with the processes
EDGES = 100_000
ACTION_LINKS = 30_000  # the control links make up the rest of the edges
RATIO_TARGET = 1.0
RUNS = 3
WORDS = "förhandsbedömning utredning rutin delaktighet genomförandeplan uppföljning journal avvikelse".split()


def text(seed: int, words: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(words)).capitalize() + f" {seed}"


def generate(random_source: random.Random) -> dict[str, int]:
    """Insert the register with executemany core inserts; returns the counts of nodes and edges."""
    units = [{"id": 1, "code": "bench", "name": "Benchmarkenheten", "parent_id": None}]
    units += [{"id": i, "code": f"bench-{i}", "name": f"Underenhet {i}", "parent_id": 1} for i in range(2, UNITS + 1)]
    units.append({"id": UNITS + 1, "code": "liten", "name": "Liten enhet", "parent_id": None})
    matrices = [
        {"unit_id": u["id"], "year": YEAR, "likelihood_labels": DEFAULT_LIKELIHOOD_LABELS,
         "consequence_labels": DEFAULT_CONSEQUENCE_LABELS, "bands": DEFAULT_BANDS}
        for u in units
    ]
    per_unit = PROCESSES // UNITS
    processes, by_unit = [], {u: [] for u in range(1, UNITS + 1)}
    for number in range(1, PROCESSES + 1):
        unit_id = (number - 1) // per_unit + 1
        siblings = by_unit[unit_id]
        parent = None if len(siblings) < ROOTS_PER_UNIT else random_source.choice(siblings)
        siblings.append(number)
        processes.append({"id": number, "ref": f"P-{number:012X}", "unit_id": unit_id, "parent_id": parent,
                          "title": text(number, 3), "sort_order": number % 7, "is_archived": number % 97 == 0})
    processes.append({"id": PROCESSES + 1, "ref": "P-SMALL", "unit_id": UNITS + 1, "parent_id": None,
                      "title": "Liten process", "sort_order": 0, "is_archived": False})
    process_unit = {p["id"]: p["unit_id"] for p in processes}
    risks = [{"id": n, "ref": f"R-{n:012X}", "process_id": random_source.randint(1, PROCESSES), "title": text(n, 6),
              "is_archived": n % 53 == 0} for n in range(1, RISKS + 1)]
    statuses = [RiskStatus.NEW, RiskStatus.IN_PROGRESS, RiskStatus.CARRIED_OVER, RiskStatus.RESOLVED, RiskStatus.CLOSED]
    assessments = [
        {"risk_id": r["id"], "year": YEAR, "likelihood": random_source.randint(1, 4),
         "consequence": random_source.randint(1, 4), "status": random_source.choice(statuses)}
        for r in risks if r["id"] % 5
    ]
    controls = [{"id": n, "ref": f"E-{n:012X}", "unit_id": (n - 1) % UNITS + 1, "title": text(n, 4),
                 "frequency": Frequency.QUARTERLY, "is_archived": n % 41 == 0} for n in range(1, CONTROLS + 1)]
    actions = [{"id": n, "ref": f"A-{n:012X}", "unit_id": (n - 1) % UNITS + 1, "title": text(n, 5),
                "start_year": YEAR, "status": random_source.choice(list(ActionStatus)), "is_archived": n % 37 == 0}
               for n in range(1, ACTIONS + 1)]
    tree_edges = sum(1 for p in processes if p["parent_id"] is not None)
    control_links = _links(random_source, risks, controls, process_unit, EDGES - tree_edges - RISKS - ACTION_LINKS)
    action_links = _links(random_source, risks, actions, process_unit, ACTION_LINKS)
    with db.engine.begin() as connection:
        for table, rows in ((Unit, units), (RiskMatrix, matrices), (Process, processes), (Risk, risks),
                            (Assessment, assessments), (Control, controls), (Action, actions)):
            connection.execute(insert(table), rows)
        connection.execute(insert(risk_controls), [{"risk_id": r, "control_id": c} for r, c in control_links])
        connection.execute(insert(risk_actions), [{"risk_id": r, "action_id": a} for r, a in action_links])
    nodes = PROCESSES + RISKS + CONTROLS + ACTIONS
    return {"nodes": nodes, "edges": tree_edges + RISKS + len(control_links) + len(action_links)}


def _links(random_source, risks, others, process_unit, count: int) -> list[tuple[int, int]]:
    """Distinct (risk, other) pairs within one unit, as the services allow."""
    by_unit: dict[int, list[int]] = {}
    for other in others:
        by_unit.setdefault(other["unit_id"], []).append(other["id"])
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < count:
        risk = random_source.choice(risks)
        pairs.add((risk["id"], random_source.choice(by_unit[process_unit[risk["process_id"]]])))
    return sorted(pairs)


def timed(function, *args):
    """(best seconds of RUNS, the last result)."""
    best, result = float("inf"), None
    for _ in range(RUNS):
        db.session.expire_all()
        started = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - started)
    return best, result


def build(unit: Unit):
    return analysis.build_graph(load_register(unit, YEAR))


def run_analyses(graph) -> int:
    """Every analysis once: the coverage lists, a trace per top-level process, the impact of ten key controls."""
    found = analysis.coverage(graph)
    roots = [node for node, depth in analysis.process_tree(graph) if depth == 0]
    traced = sum(len(analysis.trace(graph, root)) for root in roots)
    impacted = sum(len(analysis.impact(graph, key.item.node)) for key in found.key_controls[:10])
    return found.gap_count + traced + impacted


def main() -> int:
    with tempfile.TemporaryDirectory() as directory:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/bench.sqlite3", "SECRET_KEY": "bench",
                          "CURRENT_YEAR": YEAR})
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            size = generate(random.Random(2026))
            print(f"register: {size['nodes']:,} nodes, {size['edges']:,} edges "
                  f"(generated in {time.perf_counter() - started:.1f} s)")
            unit, small = db.session.get(Unit, 1), db.session.get(Unit, UNITS + 1)
            with count_queries() as big_queries:
                build(unit)
            with count_queries() as small_queries:
                build(small)
            build_time, graph = timed(build, unit)
            analyses_time, _checksum = timed(run_analyses, graph)
            db.engine.dispose()
    print(f"graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges")
    print(f"queries to build: {len(big_queries)} for this register, {len(small_queries)} for a one-process unit")
    ratio = analyses_time / build_time
    print(f"(a) build from the database: {build_time:.3f} s")
    print(f"(b) all analyses:            {analyses_time:.3f} s")
    print(f"ratio analyses / build: {ratio:.2f} (target <= {RATIO_TARGET})")
    failed = False
    if len(big_queries) != len(small_queries):
        print("FAIL: the number of queries grows with the register")
        failed = True
    if ratio > RATIO_TARGET:
        print("FAIL: the analyses take longer than the build")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
