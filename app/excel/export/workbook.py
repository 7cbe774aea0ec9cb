"""The kvalitetsplan as a workbook: the follow-up table users hand in today, the risk matrix, the flat register (which
the importer reads back) and a legend.

Pure: no Flask, no database. Written in openpyxl's write-only mode, so rows stream to the file instead of piling up
in memory, and every cell is made by app.excel.export.cells so that user text stays text.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook

from app.core.year_plan import PlanData
from app.excel.export.appendix import ExportOptions, write_appendix
from app.excel.export.changes import write_changes
from app.excel.export.register import write_register
from app.excel.export.sheets import (
    Styles,
    leave_out_of_print,
    set_print_layout,
    write_legend,
    write_matrix,
)
from app.excel.layout import REGISTER_SHEET

__all__ = ["ExportOptions", "write_workbook"]


def write_workbook(plan: PlanData, output: str | Path | BinaryIO, options: ExportOptions | None = None) -> None:
    """Write the sheets of the plan to output (a path or a binary file object); Förändring when plan.changes.

    Only the appendix is printed when the whole workbook is (app.excel.export.sheets.leave_out_of_print)."""
    options = options or ExportOptions()
    workbook = Workbook(write_only=True)
    styles = Styles(workbook)
    write_appendix(workbook, plan, options, styles)
    write_matrix(workbook, plan, styles)
    write_register(workbook, plan, styles)
    write_legend(workbook, plan, styles, explain_responsible=options.responsible)
    write_changes(workbook, plan, styles)
    styles.done()
    set_print_layout(workbook[REGISTER_SHEET], title_rows="1:1")
    for sheet in workbook.worksheets[1:]:
        leave_out_of_print(sheet)
    workbook.save(output)
