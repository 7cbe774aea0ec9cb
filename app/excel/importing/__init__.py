"""Reading a workbook or CSV/TSV back into the register: reader.py opens an upload safely, parse.py turns its rows into
a ParsedPlan (appendix.py or register.py, by layout), and apply.py applies it through app.core.services, step by step
(context.py, steps.py), all or nothing. Only those last three touch the database.
"""
