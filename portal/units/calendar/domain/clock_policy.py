"""What a supplement request does to a dossier's deadline clock: a unit's setting (Unit.clock_policy).

Defined once, here, as Django `TextChoices`: the Unit model's field and the pure clock
(procedures.domain.clock) both use it. The enum helpers need no settings or database.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class ClockPolicy(TextChoices):
    """RESTART is the law's rule (a new receipt counts from the supplement); PAUSE keeps the time left."""

    RESTART = "restart", _("Restart from the new receipt")
    PAUSE = "pause", _("Pause and resume")
