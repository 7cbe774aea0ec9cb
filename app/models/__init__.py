"""The register's domain model; importing this package registers every table."""

from app.models.action import Action
from app.models.assessment import MAX_YEAR, MIN_YEAR, Assessment
from app.models.audit_event import AuditEvent
from app.models.base import Base, utcnow
from app.models.control import Control, ControlCheck
from app.models.enums import (
    ActionStatus,
    CheckOutcome,
    Frequency,
    PlanStatus,
    QualityArea,
    RiskStatus,
    Role,
)
from app.models.login_attempt import LoginAttempt
from app.models.matrix import Level, RiskMatrix
from app.models.pending_import import PendingImport
from app.models.plan import Plan
from app.models.process import Process
from app.models.risk import Risk, risk_actions, risk_controls
from app.models.unit import Unit
from app.models.user import User

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "Action",
    "ActionStatus",
    "Assessment",
    "AuditEvent",
    "Base",
    "CheckOutcome",
    "Control",
    "ControlCheck",
    "Frequency",
    "Level",
    "LoginAttempt",
    "PendingImport",
    "Plan",
    "PlanStatus",
    "Process",
    "QualityArea",
    "Risk",
    "RiskMatrix",
    "RiskStatus",
    "Role",
    "Unit",
    "User",
    "risk_actions",
    "risk_controls",
    "utcnow",
]
