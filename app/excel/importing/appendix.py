"""The appendix table municipalities hand in today: Process | Risk | Egenkontroll | Åtgärd, one line per åtgärd.

A blank Process or Risk cell continues the line above (that is how a merged cell reads; in a workbook that merges
its Process cells, a blank one outside a merge is read so too, with a warning); ◆ in the Egenkontroll column says the
egenkontroll was carried out; ✓ at the end of an åtgärd says it is genomförd. Items are matched by title, so an
appendix only adds to the register and never clears what it does not mention.

Our export writes a performed egenkontroll as "◆ Titel (2026-10-12, utan anmärkning)" and a genomförd åtgärd as
"Titel. Uppföljning ✓"; older exports and the municipalities' own tables write "◆ Titel" and "Titel ✓" (or the
follow-up on a line of its own). All read back to the same item: the check's date and result are taken from the
brackets, and an åtgärd's text keeps every way it can be read (ParsedItem.readings). The import takes the reading
whose title the register already has; failing that, a genomförd åtgärd's text is split at its first ". " (title, then
follow-up), since that is how the follow-up tables write it, and an open åtgärd's first line is its title.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.excel.importing.parsed import (
    CellError,
    Origin,
    ParsedItem,
    ParsedPlan,
    ParsedRisk,
    RowError,
    cell_scale,
    cell_text,
    find_header,
    fold,
    is_blank,
    title_key,
)
from app.excel.importing.reader import Sheet, Upload
from app.excel.layout import APPENDIX_COLUMNS, APPENDIX_SHEET, DONE_MARK, LEGEND_PREFIX, PERFORMED_MARK
from app.models.enums import ActionStatus, CheckOutcome, RiskStatus

ALIASES = {
    "Process": {"process", "processer", "huvudprocess", "delprocess"},
    "Risk": {"risk", "risker"},
    "Egenkontroll": {"egenkontroll", "egenkontroller"},
    "Åtgärd": {"atgard", "atgarder"},
    "Sannolikhet": {"sannolikhet"},
    "Konsekvens": {"konsekvens", "allvarlighetsgrad"},
    "Riskvärde": {"riskvarde"},
    "Status": {"status"},
    "Ansvarig": {"ansvarig"},
    "Klar": {"klar", "genomford"},  # a separate ✓ column, as some tables have
}
DONE_MARKS = (DONE_MARK, "✔", "☑")
_RISK_LABELS = [status.label for status in RiskStatus]
STATUS_LABELS = ", ".join(_RISK_LABELS + [s.label for s in ActionStatus if s.label not in _RISK_LABELS])
YES = {DONE_MARK, "✔", "☑", "x", "ja", "klar", "genomförd"}
# A process or risk named again at the top of a printed page (layout.CONTINUED).
_CONTINUED = re.compile(r"\s*\(forts(?:\.|att)?\)$", re.IGNORECASE)
# The latest check our export writes after a performed egenkontroll: "(2026-10-12, utan anmärkning)".
_LATEST_CHECK = re.compile(r"\s*\((\d{4}-\d{2}-\d{2})(?:,\s*([^()]*))?\)$")


def parse(upload: Upload) -> ParsedPlan:
    """The first sheet laid out as the appendix (the one named as in our export, if any)."""
    candidates = sorted(upload.sheets, key=lambda s: s.name.strip().casefold() != APPENDIX_SHEET.casefold())
    for sheet in candidates:
        header = find_header(sheet, ALIASES, needed=3)
        if header and all(name in header[1] for name in APPENDIX_COLUMNS):
            return _Reader(sheet, *header).parse()
    sheet = candidates[0] if candidates else Sheet("")
    header = find_header(sheet, ALIASES, needed=1)
    plan = ParsedPlan("appendix", sheet.name)
    row = header[0] if header else 1
    found = header[1] if header else {}
    for name in APPENDIX_COLUMNS:
        if name not in found:
            plan.errors.append(RowError(sheet.name, row, name, f"Kolumnen {name} saknas. Tabellen måste ha "
                                        f"kolumnerna {', '.join(APPENDIX_COLUMNS)} (rubriker i en rad)."))
    return plan


def parse_own(upload: Upload) -> ParsedPlan | None:
    """The sheet named as in our export, when it has the appendix's columns (beside a Register); else None."""
    sheet = upload.sheet(APPENDIX_SHEET)
    header = find_header(sheet, ALIASES, needed=3) if sheet is not None else None
    if sheet is None or header is None or not all(name in header[1] for name in APPENDIX_COLUMNS):
        return None
    return _Reader(sheet, *header).parse()


class _Reader:
    def __init__(self, sheet: Sheet, header_row: int, columns: dict[str, int]):
        self.sheet, self.header_row, self.columns = sheet, header_row, columns
        self.plan = ParsedPlan("appendix", sheet.name)
        self.processes: dict[str, ParsedItem] = {}
        self.risks: dict[str, ParsedRisk] = {}
        self.controls: dict[str, ParsedItem] = {}
        self.checks: dict[str, ParsedItem] = {}
        self.actions: dict[str, ParsedItem] = {}

    def parse(self) -> ParsedPlan:
        process = risk = None
        for number, row in enumerate(self.sheet.rows[self.header_row:], start=self.header_row + 1):
            if is_blank(row) or self._is_header(row) or self._is_legend(row):
                continue
            cells = self._cells(number, row)
            if cells is None:
                continue
            if cells["Process"]:
                new = self._process(number, _CONTINUED.sub("", cells["Process"]))
                if process is not new:
                    process, risk = new, None
            elif process is not None and self._outside_merge(number, "Process"):
                self.plan.warnings.append(RowError(self.sheet.name, number, "Process", (
                    f"Processcellen är tom men inte sammanfogad med processen ovanför; raden läses som en del av "
                    f"”{process.title}”. Skriv processens namn i cellen om raden hör till en annan process.")))
            cells["Risk"] = _CONTINUED.sub("", cells["Risk"])
            if cells["Risk"]:
                if process is None:
                    self._error(number, "Process", "Processen saknas: ange vilken process risken hör till.")
                    continue
                risk = self._risk(number, process, cells["Risk"])
            needs_risk = [name for name in ("Egenkontroll", "Åtgärd", "Sannolikhet", "Konsekvens") if cells[name]]
            if risk is None:
                if needs_risk:
                    self._error(number, "Risk", "Risken saknas: ange vilken risk raden gäller.")
                continue
            controls = self._controls(number, risk, cells["Egenkontroll"])
            action = self._action(number, risk, cells["Åtgärd"], cells["Klar"])
            self._scores(number, risk, cells)
            self._status(number, risk, action, cells["Status"])
            self._responsible(number, action or (controls[0] if controls else None), cells["Ansvarig"])
        plan = self.plan
        plan.processes, plan.risks = list(self.processes.values()), list(self.risks.values())
        plan.controls, plan.checks = list(self.controls.values()), list(self.checks.values())
        plan.actions = list(self.actions.values())
        return plan

    # --- one row ---

    def _cells(self, number: int, row: tuple) -> dict[str, Any] | None:
        """The row's known cells as trimmed text; None if one of them cannot be read (reported).

        Sannolikhet and Konsekvens stay as read (a number, text or None): _scores reads them with cell_scale.
        """
        cells: dict[str, Any] = {}
        ok = True
        for name in ALIASES:
            index = self.columns.get(name)
            value = row[index] if index is not None and index < len(row) else None
            try:
                cells[name] = value if name in ("Sannolikhet", "Konsekvens") else cell_text(value).strip()
            except CellError as error:
                self._error(number, name, str(error))
                ok = False
        for name in ("Sannolikhet", "Konsekvens"):
            if cells.get(name) is not None and isinstance(cells[name], str) and not cells[name].strip():
                cells[name] = None
        return cells if ok else None

    def _is_legend(self, row: tuple) -> bool:
        """The legend our export prints under the table ("Förklaring: ◆ …"), alone on its row."""
        texts = [value for value in row if value is not None and not (isinstance(value, str) and not value.strip())]
        return len(texts) == 1 and isinstance(texts[0], str) and texts[0].strip().startswith(LEGEND_PREFIX)

    def _is_header(self, row: tuple) -> bool:
        """A repeated header (tables copied from paged documents repeat it on every page)."""
        texts = {fold(value) for value in row if isinstance(value, str)}
        return {"process", "risk"} <= texts

    def _process(self, number: int, title: str) -> ParsedItem:
        key = title_key(title)
        if key not in self.processes:
            self.processes[key] = ParsedItem(key, None, title, self._origin(number, title="Process"))
        return self.processes[key]

    def _risk(self, number: int, process: ParsedItem, title: str) -> ParsedRisk:
        key = f"{process.key}\n{title_key(title)}"
        if key not in self.risks:
            origin = self._origin(number, title="Risk")
            self.risks[key] = ParsedRisk(key, None, title, origin, parent_key=process.key)
        return self.risks[key]

    def _controls(self, number: int, risk: ParsedRisk, text: str) -> list[ParsedItem]:
        """Each line of the cell is an egenkontroll; ◆ alone means the risk's own egenkontroll was carried out."""
        found = []
        for line in (line.strip() for line in text.splitlines()):
            if not line:
                continue
            performed = PERFORMED_MARK in line
            title = " ".join(line.replace(PERFORMED_MARK, " ").split())
            latest = _LATEST_CHECK.search(title) if performed else None
            if latest:
                title = title[: latest.start()].strip()
            if title:
                key = title_key(title)
                control = self.controls.setdefault(
                    key, ParsedItem(key, None, title, self._origin(number, title="Egenkontroll"))
                )
            elif performed:
                key = f"{PERFORMED_MARK}\n{risk.key}"
                control = self.controls.setdefault(
                    key, ParsedItem(key, None, None, self._origin(number, title="Egenkontroll"), for_risk=risk.key)
                )
            else:
                continue
            if risk.key not in control.risk_keys:
                control.risk_keys.append(risk.key)
                risk.control_keys.append(control.key)
            if performed and control.key not in self.checks:
                self.checks[control.key] = ParsedItem(control.key, None, None, self._origin(number),
                                                      parent_key=control.key, values=_check_values(latest))
            found.append(control)
        return found

    def _action(self, number: int, risk: ParsedRisk, text: str, done_cell: str) -> ParsedItem | None:
        done = text.endswith(DONE_MARKS) or done_cell.casefold() in YES
        text = text.rstrip("".join(DONE_MARKS) + " \t").strip()
        if done_cell and done_cell.casefold() not in YES:
            self._error(number, "Klar", f"Skriv {DONE_MARK} (eller ”ja”) för en genomförd åtgärd, annars inget.")
        if not text:
            if done:
                self._error(number, "Åtgärd", f"{DONE_MARK} står utan någon åtgärd.")
            return None
        readings = action_readings(text, done)
        title, details = readings[0]
        key = title_key(title)
        action = self.actions.get(key)
        if action is None:
            action = self.actions[key] = ParsedItem(key, None, title, self._origin(number, title="Åtgärd"),
                                                    readings=readings)
        if risk.key not in action.risk_keys:
            action.risk_keys.append(risk.key)
            risk.action_keys.append(action.key)
        if done:
            action.values["status"] = ActionStatus.DONE
            if details:
                action.values["follow_up"] = details
        elif details and "description" not in action.values:
            action.values["description"] = details
        return action

    def _scores(self, number: int, risk: ParsedRisk, cells: dict) -> None:
        scores = {}
        for name, field_name in (("Sannolikhet", "likelihood"), ("Konsekvens", "consequence")):
            try:
                scores[field_name] = cell_scale(cells[name])
            except CellError as error:
                self._error(number, name, str(error))
                return
        if scores["likelihood"] is None and scores["consequence"] is None:
            return
        for name, field_name in (("Sannolikhet", "likelihood"), ("Konsekvens", "consequence")):
            if scores[field_name] is None:
                self._error(number, name, "Ange både sannolikhet och konsekvens, eller ingen av dem.")
                return
        if risk.assessment is not None and any(risk.assessment[k] != v for k, v in scores.items()):
            self._error(number, "Sannolikhet", "Risken har redan fått en annan sannolikhet eller konsekvens "
                        f"på rad {risk.origin.cells['likelihood'][0]}.")
            return
        if risk.assessment is None:
            risk.assessment = dict(scores)
            risk.origin.cells["likelihood"] = (number, "Sannolikhet")
            risk.origin.cells["consequence"] = (number, "Konsekvens")
        self._check_score(number, scores, cells["Riskvärde"])

    def _check_score(self, number: int, scores: dict, text: str) -> None:
        if text and text.isdigit() and int(text) != scores["likelihood"] * scores["consequence"]:
            self.plan.warnings.append(RowError(self.sheet.name, number, "Riskvärde", (
                f"Riskvärdet {text} stämmer inte med sannolikhet × konsekvens; "
                f"det räknas om till {scores['likelihood'] * scores['consequence']}.")))

    def _status(self, number: int, risk: ParsedRisk, action: ParsedItem | None, text: str) -> None:
        """A risk status label (Ny, Pågående …) sets the risk's; an åtgärd's own labels (Planerad …) the åtgärd's."""
        if not text:
            return
        try:
            status = RiskStatus.parse(text)
            risk.origin.cells["status"] = (number, "Status")
            (risk.assessment if risk.assessment is not None else risk.values)["status"] = status
            return
        except ValueError:
            pass
        try:
            action_status = ActionStatus.parse(text)
        except ValueError:
            self._error(number, "Status", f"Okänd status ”{text}”. Välj en av: {STATUS_LABELS}.")
            return
        if action is None:
            self._error(number, "Status", f"Statusen {action_status.label} gäller en åtgärd, men raden har ingen.")
        elif action.values.get("status") is not ActionStatus.DONE:
            action.values["status"] = action_status
            action.origin.cells["status"] = (number, "Status")

    def _responsible(self, number: int, item: ParsedItem | None, text: str) -> None:
        if not text:
            return
        if item is None:
            self.plan.warnings.append(RowError(self.sheet.name, number, "Ansvarig",
                                               "Ansvarig ignoreras: raden har ingen åtgärd eller egenkontroll."))
            return
        item.values.setdefault("responsible", text)
        item.origin.cells.setdefault("responsible", (number, "Ansvarig"))

    # --- helpers ---

    def _outside_merge(self, number: int, column: str) -> bool:
        """A blank cell that is not part of a merge, in a sheet that merges that column elsewhere (a file that
        writes each process once and never merges means every blank cell as "same as above")."""
        index = self.columns[column] + 1
        merges = [merge for merge in self.sheet.merges if merge[1] <= index <= merge[3] and merge[0] > self.header_row]
        return bool(merges) and not any(top < number <= bottom for top, _, bottom, _ in merges)

    def _origin(self, number: int, *, title: str | None = None) -> Origin:
        cells = {"title": (number, title)} if title else {}
        return Origin(self.sheet.name, number, cells)

    def _error(self, number: int, column: str, message: str) -> None:
        self.plan.errors.append(RowError(self.sheet.name, number, column, message))


def action_readings(text: str, done: bool) -> list[tuple[str, str]]:
    """The (title, follow-up or description) an åtgärd's text can stand for, the one to take by default first.

    The first line is the title and the lines below it the details, as before. A genomförd åtgärd may also carry its
    follow-up after the title on the same line ("Titel. Uppföljning"): each ". " is a place where the title may end.
    """
    first, _, rest = text.partition("\n")
    first, rest = first.strip(), rest.strip()
    splits = _splits(first, rest) if done else []
    readings = [(first, rest)] + splits
    if splits and not rest:  # "Titel. Uppföljning ✓": split at the first ". " unless the register knows better
        readings = [splits[0], (first, "")] + splits[1:]
    if rest:  # a title of several lines, as the register may have
        readings.append((text.strip(), ""))
    return readings


def _splits(first: str, rest: str) -> list[tuple[str, str]]:
    """Each place a genomförd åtgärd's title may end on its first line, with the follow-up after it."""
    splits = []
    for index in (i for i in range(len(first)) if first.startswith(". ", i)):
        follow_up = " ".join(part for part in (first[index + 2:].strip(), rest) if part)
        splits.append((first[:index].strip(), follow_up))
        splits.append((first[: index + 1].strip(), follow_up))  # a title that itself ends with a period
    return [(title, follow_up) for title, follow_up in splits if title.rstrip(".")]


def _check_values(latest: re.Match | None) -> dict[str, Any]:
    """The date and result our export writes after ◆, when they read as such."""
    if latest is None:
        return {}
    values: dict[str, Any] = {}
    try:
        values["performed_on"] = date.fromisoformat(latest.group(1))
    except ValueError:
        return {}
    if latest.group(2):
        try:
            values["outcome"] = CheckOutcome.parse(latest.group(2))
        except ValueError:
            pass
    return values
