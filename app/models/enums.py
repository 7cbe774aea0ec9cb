"""Every status, role and scale of the register, each value with its Swedish label beside it."""

from enum import StrEnum
from typing import TYPE_CHECKING, Self

import sqlalchemy as sa


class LabeledEnum(StrEnum):
    """A StrEnum whose members carry the Swedish label the UI shows."""

    label: str

    if TYPE_CHECKING:
        # What the checker should see: calling the class looks a member up by its value
        # (EnumMeta.__call__); the two-argument __new__ below only runs while the members are built.
        def __new__(cls, value: str) -> Self: ...

    else:

        def __new__(cls, value: str, label: str) -> Self:
            member = str.__new__(cls, value)
            member._value_ = value
            member.label = label
            return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for select fields, in declaration order."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def parse(cls, text: str) -> Self:
        """Find a member by value or Swedish label, ignoring case and surrounding space."""
        wanted = text.strip().casefold()
        for member in cls:
            if wanted in (member.value.casefold(), member.label.casefold()):
                return member
        raise ValueError(text)


class Role(LabeledEnum):
    READER = "reader", "Läsare"
    OWNER = "owner", "Processägare"
    MANAGER = "manager", "Enhetschef"
    ADMIN = "admin", "Kvalitetssamordnare"


class RiskStatus(LabeledEnum):
    NEW = "new", "Ny"
    IN_PROGRESS = "in_progress", "Pågående"
    CARRIED_OVER = "carried_over", "Kvarstår"
    RESOLVED = "resolved", "Åtgärdad"
    CLOSED = "closed", "Upphört"

    @property
    def is_open(self) -> bool:
        """Open risks need work and carry over to the next year."""
        return self not in (RiskStatus.RESOLVED, RiskStatus.CLOSED)


class ActionStatus(LabeledEnum):
    PLANNED = "planned", "Planerad"
    IN_PROGRESS = "in_progress", "Pågående"
    DONE = "done", "Genomförd"
    CANCELLED = "cancelled", "Avbruten"

    @property
    def is_open(self) -> bool:
        return self in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class CheckOutcome(LabeledEnum):
    NO_REMARKS = "no_remarks", "Utan anmärkning"
    DEFICIENCIES = "deficiencies", "Brister funna"
    NOT_PERFORMED = "not_performed", "Ej genomförd"


class Frequency(LabeledEnum):
    CONTINUOUS = "continuous", "Löpande"
    MONTHLY = "monthly", "Månadsvis"
    QUARTERLY = "quarterly", "Kvartalsvis"
    SEMIANNUAL = "semiannual", "Halvårsvis"
    ANNUAL = "annual", "Årligen"


class PlanStatus(LabeledEnum):
    DRAFT = "draft", "Utkast"
    ADOPTED = "adopted", "Fastställd"
    LOCKED = "locked", "Låst"


class QualityArea(LabeledEnum):
    """Socialstyrelsen's six areas of good quality in social services."""

    SELF_DETERMINATION = "self_determination", "Självbestämmande och integritet"
    HOLISTIC_VIEW = "holistic_view", "Helhetssyn och samordning"
    SAFETY = "safety", "Trygghet och säkerhet"
    KNOWLEDGE_BASED = "knowledge_based", "Kunskapsbaserad verksamhet"
    ACCESSIBILITY = "accessibility", "Tillgänglighet"
    EFFICIENCY = "efficiency", "Effektivitet"


def enum_column_type(enum_class: type[LabeledEnum], name: str) -> sa.Enum:
    """A portable enum column: VARCHAR plus a CHECK of the values, no native PostgreSQL type."""
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
