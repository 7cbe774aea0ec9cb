"""A locked year's plan kept as JSON, so its export has the same cells every time, whatever changes later.

The stored form is versioned, and every version ever written stays readable, since a locked year is never written
again (only unlocking and locking anew replaces it):

- Version 1 (unversioned; written from the first snapshots, commit 6aef5b3, until the envelope came): the tree of
  PlanData itself, its root {"__class__": "PlanData", ...}. One written before a field was added lacks it
  (ADDED_LATER). tests/fixtures/snapshot_v1.json is a version-1 snapshot exactly as that code wrote it.
- Version 2 (SCHEMA_VERSION): {"schema": 2, "plan": <the tree, as in version 1>}. A key beside "schema" and "plan"
  is ignored.

The tree: a dataclass is {"__class__": its name in TYPES, <field>: <node>, ...}; an enum {"__enum__": its name in
ENUMS, "value": <value>}; {"__datetime__": ISO 8601}, {"__date__": ISO date}, {"__tuple__": [<node>, ...]};
a list is a JSON array, a dict {"__dict__": [[<key node>, <value node>], ...]}; str, int, float, bool and null as
themselves. Only the types in TYPES and ENUMS can be revived, so a stored snapshot can never name code to run.

Reading is lenient where that is safe: a key the type no longer has is ignored, a field added later is filled from
ADDED_LATER. When a dataclass below changes, tests/test_snapshot_versions.py fails until the schema is updated:
- a field added: list it in TYPES and give it, in ADDED_LATER, the value that exports an older snapshot as before;
- a class renamed: keep its stored name in TYPES (or ENUMS), pointing at the new class;
- a field renamed, a value stored differently, or a field removed whose content the export still needs: raise
  SCHEMA_VERSION, document the new version above, and add to UPGRADES the step from the previous version (it
  rewrites the JSON, nothing else).
A snapshot from a newer version than this code knows is refused with a Swedish message, never half read.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from app.core import heat_map, year_diff, year_plan
from app.core.errors import DomainError
from app.core.year_plan import PlanData
from app.models import enums
from app.models.matrix import Level

SCHEMA_VERSION = 2

# Version 2: every type a snapshot holds, by the name stored in "__class__": the class it is read into and the
# fields it stores, which are the class's own (tests/test_snapshot_versions.py keeps the two in step).
TYPES: dict[str, tuple[type, tuple[str, ...]]] = {
    "PlanData": (year_plan.PlanData, ("unit_code", "unit_name", "year", "status", "exported_at", "matrix",
                                      "processes", "controls", "actions", "changes", "units")),
    "UnitData": (year_plan.UnitData, ("id", "code", "name", "levels")),
    "MatrixData": (year_plan.MatrixData, ("likelihood_labels", "consequence_labels", "levels", "grid",
                                          "not_assessed")),
    "ProcessData": (year_plan.ProcessData, ("id", "ref", "parent_ref", "title", "description", "owner", "sort_order",
                                            "is_archived", "depth", "risks", "unit_code")),
    "RiskData": (year_plan.RiskData, ("id", "ref", "title", "description", "quality_area", "is_archived",
                                      "assessment", "controls", "actions", "earlier_score")),
    "AssessmentData": (year_plan.AssessmentData, ("likelihood", "consequence", "status", "comment", "level")),
    "ControlData": (year_plan.ControlData, ("id", "ref", "title", "description", "method", "frequency", "responsible",
                                            "is_archived", "checks", "risk_refs", "unit_code")),
    "CheckData": (year_plan.CheckData, ("ref", "performed_on", "outcome", "findings", "performed_by")),
    "ActionData": (year_plan.ActionData, ("id", "ref", "title", "description", "responsible", "start_year", "due_on",
                                          "status", "follow_up", "completed_on", "is_archived", "is_done",
                                          "risk_refs", "unit_code")),
    "Person": (year_plan.Person, ("email", "name")),
    "Level": (Level, ("name", "colour", "rank", "min_score", "max_score", "lower", "upper")),
    "Grid": (heat_map.Grid, ("rows", "totals", "off_scale")),
    "Cell": (heat_map.Cell, ("likelihood", "consequence", "count", "level")),
    "LevelTotal": (heat_map.LevelTotal, ("level", "count")),
    "YearDiff": (year_diff.YearDiff, ("before_year", "after_year", "new_risks", "closed_risks", "score_up",
                                      "score_down", "status_changed", "not_assessed", "unchanged")),
    "Change": (year_diff.Change, ("before", "after")),
    "RiskYear": (year_diff.RiskYear, ("risk_id", "ref", "title", "process", "score", "level", "status")),
}
# Every enum a snapshot holds, by the name stored in "__enum__"; members are stored by value.
ENUMS: dict[str, type[enum.Enum]] = {
    "ActionStatus": enums.ActionStatus,
    "CheckOutcome": enums.CheckOutcome,
    "Frequency": enums.Frequency,
    "PlanStatus": enums.PlanStatus,
    "QualityArea": enums.QualityArea,
    "RiskStatus": enums.RiskStatus,
}
# Fields added after the first snapshots were written, with the value a snapshot that lacks them is read with: the
# one that exports it exactly as the code of its day did.
ADDED_LATER: dict[tuple[str, str], Any] = {
    ("PlanData", "changes"): None,  # the Förändring sheet: an older snapshot's workbook has none
    ("ProcessData", "unit_code"): "",  # the Register's Enhet column: empty means the exported unit
    ("ControlData", "unit_code"): "",
    ("ActionData", "unit_code"): "",
    ("PlanData", "units"): (),  # the units with their own level bands: none means the plan's matrix for all
    ("RiskData", "earlier_score"): None,  # the riskvärde before the year: unknown
}


# The stored names by class, so that renaming a class changes nothing that is stored.
_TYPE_NAMES = {cls: name for name, (cls, _fields) in TYPES.items()}
_ENUM_NAMES = {cls: name for name, cls in ENUMS.items()}


class UnreadableSnapshot(DomainError):
    """The stored plan of a locked year cannot be read by this version; message is Swedish and fit to show."""


def dump(plan: PlanData) -> dict[str, Any]:
    """The plan as a snapshot of the current version, ready for a JSON column."""
    return {"schema": SCHEMA_VERSION, "plan": _encode(plan)}


def load(snapshot: Any) -> PlanData:
    """The plan from a snapshot of any version ever written; UnreadableSnapshot for a newer or damaged one."""
    version = schema_version(snapshot)
    if version > SCHEMA_VERSION:
        raise UnreadableSnapshot(
            f"Den låsta kvalitetsplanen sparades i format {version} av en nyare version av Riskregistret. "
            f"Den här versionen kan bara läsa format 1–{SCHEMA_VERSION}. Uppdatera Riskregistret och försök igen."
        )
    while version < SCHEMA_VERSION:
        snapshot, version = UPGRADES[version](snapshot), version + 1
    plan = _decode(snapshot.get("plan"))
    if not isinstance(plan, PlanData):
        raise _damaged("den innehåller ingen kvalitetsplan")
    return plan


def schema_version(snapshot: Any) -> int:
    """The version a snapshot was written in: its "schema", or 1 for the unversioned tree of the first snapshots."""
    if not isinstance(snapshot, dict):
        raise _damaged("den är inte ett JSON-objekt")
    if "schema" not in snapshot:
        if snapshot.get("__class__") == "PlanData":
            return 1
        raise _damaged("formatet saknas")
    version = snapshot["schema"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 2:
        raise _damaged(f"okänt format ”{version}”")
    return version


def _from_version_1(tree: dict[str, Any]) -> dict[str, Any]:
    """Version 1 → 2: the tree goes into the envelope unchanged (fields it lacks are filled from ADDED_LATER)."""
    return {"schema": 2, "plan": tree}


# The step from each version to the next; a snapshot is upgraded one step at a time, oldest first.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _from_version_1}


def _encode(value: Any) -> Any:
    """JSON-safe form of a node; shared sub-objects (a control linked to two risks) are simply written twice."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = _TYPE_NAMES.get(type(value))
        if name is None:
            raise TypeError(f"{type(value).__name__} is not a snapshot type: add it to TYPES")
        fields = {field.name: _encode(getattr(value, field.name)) for field in dataclasses.fields(value)}
        return {"__class__": name, **fields}
    if isinstance(value, enum.Enum):
        if type(value) not in _ENUM_NAMES:
            raise TypeError(f"{type(value).__name__} is not a snapshot enum: add it to ENUMS")
        return {"__enum__": _ENUM_NAMES[type(value)], "value": value.value}
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {"__dict__": [[_encode(key), _encode(item)] for key, item in value.items()]}
    return value


def _decode(node: Any) -> Any:
    """A node back from _encode, into the current classes."""
    if isinstance(node, list):
        return [_decode(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "__class__" in node:
        return _decode_dataclass(node)
    if "__enum__" in node:
        return _decode_enum(node)
    if "__datetime__" in node:
        return _decode_iso(datetime, node["__datetime__"])
    if "__date__" in node:
        return _decode_iso(date, node["__date__"])
    if isinstance(node.get("__tuple__"), list):
        return tuple(_decode(item) for item in node["__tuple__"])
    if isinstance(node.get("__dict__"), list) and all(_is_pair(pair) for pair in node["__dict__"]):
        return {_decode(key): _decode(value) for key, value in node["__dict__"]}
    raise _damaged(f"en okänd post med nycklarna {', '.join(sorted(map(str, node)))}")


def _decode_dataclass(node: dict[str, Any]) -> Any:
    """One of TYPES from its fields; keys it does not have are ignored, fields it gained later get ADDED_LATER."""
    name = node["__class__"]
    if not isinstance(name, str) or name not in TYPES:
        raise _damaged(f"okänd typ ”{name}”")
    cls = TYPES[name][0]
    values = {}
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        if field.name in node:
            values[field.name] = _decode(node[field.name])
        elif (name, field.name) in ADDED_LATER:
            values[field.name] = ADDED_LATER[name, field.name]
        else:
            raise _damaged(f"uppgiften {field.name} saknas i {name}")
    return cls(**values)


def _decode_enum(node: dict[str, Any]) -> enum.Enum:
    name, value = node["__enum__"], node.get("value")
    enum_class = ENUMS.get(name) if isinstance(name, str) else None
    if enum_class is None:
        raise _damaged(f"okänd uppräkning ”{name}”")
    try:
        return enum_class(value)
    except ValueError:
        raise _damaged(f"okänt värde ”{value}” för {name}") from None


def _decode_iso(kind: type[date], text: Any) -> date:
    try:
        return kind.fromisoformat(text)
    except (TypeError, ValueError):
        raise _damaged(f"ogiltigt datum ”{text}”") from None


def _is_pair(item: Any) -> bool:
    return isinstance(item, list) and len(item) == 2


def _damaged(why: str) -> UnreadableSnapshot:
    return UnreadableSnapshot(
        f"Den låsta kvalitetsplanen kan inte läsas: {why}. "
        "En kvalitetssamordnare kan låsa upp året och låsa det igen, så sparas den på nytt."
    )
