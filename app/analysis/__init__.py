"""The register as a graph: what protects what, and where protection is missing (pure, except load.py).

For pages and reports: ``app.analysis.load.coverage_for(unit, year) -> Coverage`` (or ``coverage_from(plan)`` for a
year's PlanData already loaded); the pure analyses live in ``app.analysis.graph`` and work on the graph that
``app.analysis.load.load_graph(unit, year)`` returns, built from the core's read model of the year.
"""
