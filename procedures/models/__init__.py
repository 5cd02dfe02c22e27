"""Domain models, one module per concept; import them here so Django finds them."""

from .access_log import AccessKind, DossierAccess
from .booking import Booking, BookingSettings, BookingStatus, Counter, QueueDay, SlotCapacity, Ticket, TicketStatus
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
from .dashboard import DashboardSnapshot, DossierDayFigure, RatingDayFigure
from .documents import DocumentKind, IssuedDocument
from .dossiers import ControlSlipEntry, DailyCounter, Dossier, DossierDocument, DossierHistory, OutboxEvent
from .feedback import Feedback, FeedbackCounter, FeedbackEvent, FeedbackNotice, Rating
from .imports import ImportJob, ImportStatus
from .monitoring import ApologyDraft, SweepRun
from .offers import UnitProcedure

__all__ = [
    "Booking",
    "BookingSettings",
    "BookingStatus",
    "Counter",
    "QueueDay",
    "SlotCapacity",
    "Ticket",
    "TicketStatus",
    "AccessKind",
    "DossierAccess",
    "ApologyDraft",
    "SweepRun",
    "ControlSlipEntry",
    "DashboardSnapshot",
    "DossierDayFigure",
    "RatingDayFigure",
    "DailyCounter",
    "Dossier",
    "DocumentKind",
    "DossierDocument",
    "DossierHistory",
    "Feedback",
    "FeedbackCounter",
    "FeedbackEvent",
    "FeedbackNotice",
    "Rating",
    "OutboxEvent",
    "DeadlineUnit",
    "DocumentForm",
    "FeeKind",
    "Field",
    "ImplementingLevel",
    "ImportJob",
    "IssuedDocument",
    "ImportStatus",
    "OnlineLevel",
    "ProcessStep",
    "Procedure",
    "RequiredDocument",
    "UnitProcedure",
]
