"""The kvalitetsplan appendix in Excel: pure export and import cores; the views and CLI only stream them.

Three parts: layout.py is the contract both sides share (sheets, columns, marks, how text is stored); export/ writes
the workbook, from the register or from a locked year's snapshot; importing/ reads an upload safely, parses it and
applies it through app.core.services (the only part that writes). export/ and importing/ never import each other.
"""
