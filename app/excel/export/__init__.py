"""Writing the workbook: workbook.write_workbook writes the sheets of a PlanData; locked.plan_for_export says which
PlanData (a locked year's snapshot, or the register as it is now). Pure apart from locked.py, which reads the database.
"""
