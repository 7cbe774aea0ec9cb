"""The demo organisation: Exempelby kommun's units, people and processes, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from app.models import (
    ActionStatus,
    CheckOutcome,
    Frequency,
    QualityArea,
    RiskStatus,
    Role,
)

ROOT_CODE = "exempelby"
PASSWORD = "demo1234"

# Demo years are offsets from the first of the three years: Y3 is the current year.
Y1, Y2, Y3 = 0, 1, 2
YEARS = 3

# A date inside the demo years: (year offset, month, day).
Day = tuple[int, int, int]


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class UserSpec:
    email: str
    name: str
    role: Role
    unit: str


@dataclass(frozen=True)
class ProcessSpec:
    key: str
    unit: str
    title: str
    owner: str
    description: str
    parent: str | None = None


class Rating(NamedTuple):
    """One assessment of a risk; a second rating for the same year revises the first."""

    year: int
    likelihood: int
    consequence: int
    status: RiskStatus
    comment: str = ""


@dataclass(frozen=True)
class RiskSpec:
    key: str
    process: str
    title: str
    area: QualityArea
    description: str
    ratings: tuple[Rating, ...]


class CheckSpec(NamedTuple):
    on: Day
    outcome: CheckOutcome
    findings: str = ""


@dataclass(frozen=True)
class ControlSpec:
    unit: str
    title: str
    method: str
    frequency: Frequency
    responsible: str
    description: str
    risks: tuple[str, ...]
    checks: tuple[CheckSpec, ...]


@dataclass(frozen=True)
class ActionSpec:
    """An åtgärd as it stands now; progress is the note written while it was under way."""

    unit: str
    title: str
    start: int
    status: ActionStatus
    responsible: str
    risks: tuple[str, ...]
    due: Day | None
    description: str = ""
    progress: str = ""
    follow_up: str = ""
    completed: Day | None = None


UNITS: tuple[UnitSpec, ...] = (
    UnitSpec(ROOT_CODE, "Exempelby kommun"),
    UnitSpec("sn", "Socialnämnden", ROOT_CODE),
    UnitSpec("ifo", "Individ- och familjeomsorgen", "sn"),
    UnitSpec("bfe", "Barn- och familjeenheten", "ifo"),
    UnitSpec("ekb", "Enheten för ekonomiskt bistånd", "ifo"),
)

# The four logins printed by the command, one per role, in the order they are shown.
LOGINS: tuple[str, ...] = ("lasare@exempel.se", "agare@exempel.se", "chef@exempel.se", "admin@exempel.se")

USERS: tuple[UserSpec, ...] = (
    UserSpec("admin@exempel.se", "Lars Ekström", Role.ADMIN, "ifo"),
    UserSpec("chef@exempel.se", "Karin Holm", Role.MANAGER, "bfe"),
    UserSpec("agare@exempel.se", "Anna Berg", Role.OWNER, "bfe"),
    UserSpec("lasare@exempel.se", "Maja Lind", Role.READER, "bfe"),
    UserSpec("johan.sandberg@exempel.se", "Johan Sandberg", Role.OWNER, "bfe"),
    UserSpec("omar.haddad@exempel.se", "Omar Haddad", Role.MANAGER, "ekb"),
    UserSpec("elin.nystrom@exempel.se", "Elin Nyström", Role.OWNER, "ekb"),
    UserSpec("sara.lundqvist@exempel.se", "Sara Lundqvist", Role.OWNER, "ekb"),
)

PROCESSES: tuple[ProcessSpec, ...] = (
    ProcessSpec(
        "mottagning",
        "bfe",
        "Mottagning och förhandsbedömning",
        "agare@exempel.se",
        "Anmälningar och ansökningar som rör barn och unga tas emot, registreras och förhandsbedöms. "
        "Beslut om att inleda utredning eller inte fattas inom 14 dagar.",
    ),
    ProcessSpec(
        "skyddsbedomning",
        "bfe",
        "Skyddsbedömning",
        "agare@exempel.se",
        "Omedelbar bedömning, samma dag som anmälan kommer in, av om barnet behöver skydd. "
        "Vid behov kontaktas socialjouren eller polisen.",
        parent="mottagning",
    ),
    ProcessSpec(
        "utredning",
        "bfe",
        "Utredning enligt 11 kap. 1 § SoL",
        "agare@exempel.se",
        "Utredning av barnets behov av stöd och skydd enligt BBIC. Utredningen ska vara klar inom fyra "
        "månader och leda till ett beslut om insats eller att utredningen avslutas.",
    ),
    ProcessSpec(
        "placering",
        "bfe",
        "Placering i familjehem och HVB",
        "johan.sandberg@exempel.se",
        "Matchning och placering av barn enligt SoL eller LVU, vårdplan och genomförandeplan, "
        "uppföljning av vården samt stöd och handledning till familjehemmen.",
    ),
    ProcessSpec(
        "avslut",
        "bfe",
        "Avslut av ärenden och arkivering",
        "agare@exempel.se",
        "Avslut av utredningar och insatser, information till familjen och arkivering av akten.",
    ),
    ProcessSpec(
        "eb-mottagning",
        "ekb",
        "Mottagning och ansökan om ekonomiskt bistånd",
        "sara.lundqvist@exempel.se",
        "Information, ansökan via e-tjänst eller på papper, nybesök och prövning av akuta ansökningar.",
    ),
    ProcessSpec(
        "eb-utredning",
        "ekb",
        "Utredning och beslut om försörjningsstöd",
        "elin.nystrom@exempel.se",
        "Utredning av rätten till bistånd enligt 4 kap. 1 § SoL, normberäkning, beslut och utbetalning.",
    ),
    ProcessSpec(
        "eb-planering",
        "ekb",
        "Planering mot egen försörjning",
        "elin.nystrom@exempel.se",
        "Planering tillsammans med den enskilde och samverkan med Arbetsförmedlingen, vården och "
        "kommunens arbetsmarknadsenhet, särskilt för personer med långvarigt bistånd.",
    ),
)
