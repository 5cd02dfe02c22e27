"""Domain models, one module per concept; import them here so Django finds them."""

from .catalogue import DeadlineUnit, Procedure

__all__ = ["DeadlineUnit", "Procedure"]
