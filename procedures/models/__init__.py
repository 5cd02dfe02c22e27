"""Domain models, one module per concept; import them here so Django finds them."""

from .catalogue import (
    DeadlineUnit,
    DocumentForm,
    FeeKind,
    Field,
    ImplementingLevel,
    OnlineLevel,
    Procedure,
    ProcessStep,
    RequiredDocument,
)
from .dossiers import ControlSlipEntry, DailyCounter, Dossier, DossierDocument, DossierHistory, OutboxEvent
from .imports import ImportJob, ImportStatus
from .monitoring import ApologyDraft, SweepRun
from .offers import UnitProcedure

__all__ = [
    "ApologyDraft",
    "SweepRun",
    "ControlSlipEntry",
    "DailyCounter",
    "Dossier",
    "DossierDocument",
    "DossierHistory",
    "OutboxEvent",
    "DeadlineUnit",
    "DocumentForm",
    "FeeKind",
    "Field",
    "ImplementingLevel",
    "ImportJob",
    "ImportStatus",
    "OnlineLevel",
    "ProcessStep",
    "Procedure",
    "RequiredDocument",
    "UnitProcedure",
]
