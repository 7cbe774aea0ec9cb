"""A locked year's plan kept as JSON, so its export has the same cells every time, whatever changes later.

Pure: a small codec for the frozen dataclasses of plan_types. Only the classes listed here can be revived,
so a stored snapshot can never name code to run.
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import date, datetime
from typing import Any

from app.core import heat_map, year_diff
from app.core import year_plan as plan_types
from app.models import enums
from app.models.matrix import Level

_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        plan_types.Person,
        plan_types.CheckData,
        plan_types.ControlData,
        plan_types.ActionData,
        plan_types.AssessmentData,
        plan_types.RiskData,
        plan_types.ProcessData,
        plan_types.MatrixData,
        plan_types.PlanData,
        Level,
        heat_map.Cell,
        heat_map.LevelTotal,
        heat_map.Grid,
        year_diff.RiskYear,
        year_diff.Change,
        year_diff.YearDiff,
    )
}
_ENUMS: dict[str, type[enum.Enum]] = {
    cls.__name__: cls
    for cls in (enums.ActionStatus, enums.CheckOutcome, enums.Frequency, enums.PlanStatus, enums.QualityArea,
                enums.RiskStatus)
}


def dump(value: Any) -> Any:
    """JSON-safe form of a plan; shared sub-objects (a control linked to two risks) are simply written twice."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {field.name: dump(getattr(value, field.name)) for field in dataclasses.fields(value)}
        return {"__class__": type(value).__name__, **fields}
    if isinstance(value, enum.Enum):
        return {"__enum__": type(value).__name__, "value": value.value}
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if isinstance(value, list | tuple):
        return {"__tuple__": [dump(item) for item in value]} if isinstance(value, tuple) else [dump(v) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[dump(k), dump(v)] for k, v in value.items()]}
    return value


def load(data: Any) -> Any:
    """The plan back from dump(); an unknown class or enum name is refused."""
    if isinstance(data, list):
        return [load(item) for item in data]
    if not isinstance(data, dict):
        return data
    if "__class__" in data:
        cls = _CLASSES[data["__class__"]]
        return cls(**{name: load(value) for name, value in data.items() if name != "__class__"})
    if "__enum__" in data:
        return _ENUMS[data["__enum__"]](data["value"])
    if "__datetime__" in data:
        return datetime.fromisoformat(data["__datetime__"])
    if "__date__" in data:
        return date.fromisoformat(data["__date__"])
    if "__tuple__" in data:
        return tuple(load(item) for item in data["__tuple__"])
    if "__dict__" in data:
        return {load(key): load(value) for key, value in data["__dict__"]}
    raise ValueError(f"unknown snapshot node: {sorted(data)}")
