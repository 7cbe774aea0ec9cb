"""The architecture as a test: the import-linter contracts in .importlinter hold, and they do catch a breach."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(project / ".importlinter")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_contracts_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("app/actions/views.py", "from app.risks import queries", "Features never import each other BROKEN"),
        ("app/core/units.py", "from app.web import pagination", "stand on the domain core BROKEN"),
        ("app/excel/__init__.py", "from app.plans import blueprint", "stand on the domain core BROKEN"),
        ("app/core/audit.py", "from app.core import unit_year", "No import cycle between the packages"),
        ("app/excel/export/workbook.py", "from app.excel.importing import reader", "share only the layout contract BROKEN"),
    ],
    ids=["feature-imports-feature", "core-imports-web", "library-imports-feature", "cycle-inside-core", "export-imports-import"],
)
def test_a_breach_is_caught(tmp_path: Path, module: str, line: str, broken: str) -> None:
    """The same contracts on a copy of app/ with one offending import added must fail, naming the contract."""
    shutil.copytree(ROOT / "app", tmp_path / "app", ignore=shutil.ignore_patterns("__pycache__", "static", "templates"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert broken in result.stdout, result.stdout
