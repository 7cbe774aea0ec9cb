"""In which order an import creates items: parents before children, risks so that their new ids keep the orders
our export shows by id, and a risk's egenkontroller and åtgärder in the order the appendix lists them under it.

New processes and risks go last among their siblings (their services say so), so creating them in the file's order
keeps the order of first appearance."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from typing import Any

from app.excel.importing.parsed import ParsedItem, ParsedPlan, ParsedRisk


def parents_first(items: list[ParsedItem], refuse: Callable[[ParsedItem, str], None]) -> list[ParsedItem]:
    """Processes ordered so that a parent in the file is created before its children; a cycle is refused."""
    keys = {item.key for item in items}
    ordered: list[ParsedItem] = []
    placed: set[str] = set()
    pending = list(items)
    while pending:
        ready = [i for i in pending if i.parent_key is None or i.parent_key not in keys or i.parent_key in placed]
        if not ready:
            for item in pending:
                refuse(item, "Processerna ligger under varandra i en slinga (kolumnen Överordnad).")
            break
        ordered += ready
        placed.update(item.key for item in ready)
        pending = [item for item in pending if item.key not in placed]
    return ordered


def risk_creation_order(parsed: ParsedPlan) -> list[ParsedRisk]:
    """The Register's risks in an order whose new ids keep every order the export shows by id.

    The export lists a process's risks, and the risks an egenkontroll or åtgärd is linked to, by risk id. Creating
    the risks in an order that respects both (a topological order, as close to the file's as possible) makes an
    export of the imported register give the same cells. A contradictory (hand-edited) file keeps the file's order.
    """
    position = {risk.key: index for index, risk in enumerate(parsed.risks)}
    after: dict[str, set[str]] = {key: set() for key in position}
    last_of_process: dict[str | None, str] = {}
    for risk in parsed.risks:
        if risk.parent_key in last_of_process:
            after[last_of_process[risk.parent_key]].add(risk.key)
        last_of_process[risk.parent_key] = risk.key
    for item in parsed.controls + parsed.actions:
        keys = [key for key in item.risk_keys if key in position]
        for earlier, later in zip(keys, keys[1:]):
            after[earlier].add(later)
    waiting = dict.fromkeys(position, 0)
    for followers in after.values():
        for key in followers:
            waiting[key] += 1
    ready = [(position[key], key) for key, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    ordered = []
    while ready:
        _, key = heapq.heappop(ready)
        ordered.append(parsed.risks[position[key]])
        for later in after[key]:
            waiting[later] -= 1
            if waiting[later] == 0:
                heapq.heappush(ready, (position[later], later))
    return ordered if len(ordered) == len(parsed.risks) else parsed.risks


def items_in_sheet_order(parsed: ParsedPlan, done: dict[str, dict[str | None, Any]]) -> Iterator[tuple[Any, str, list]]:
    """(risk, "controls" or "actions", its items in the order the appendix lists them under it) for each risk the
    import saved; the Register gives no such order and yields nothing."""
    for item in parsed.risks:
        risk = done["risk"].get(item.key)
        if risk is None:
            continue
        for kind, keys, saved in (("controls", item.control_keys, done["control"]),
                                  ("actions", item.action_keys, done["action"])):
            items = [saved[key] for key in keys if key in saved]
            if len(items) > 1:
                yield risk, kind, items
