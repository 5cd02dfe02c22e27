"""The catalogue of administrative procedures (TTHC): what a citizen must bring, pay and wait for.

The catalogue is a published legal commitment, so every change is versioned (django-simple-history)
and the invariants that a single row can express are database constraints.
"""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.units.calendar.domain.working_time import NATIONAL_FULL_DAY_MINUTES, CalendarError, WorkingCalendar
from procedures.domain.deadlines import DeadlineUnit, deadline_working_minutes
from procedures.domain.text import fold, thousands

# The catalogue is shared by every unit, so where it compares minutes (step allotments, the no-wait target)
# with a deadline in working days, a day is the nationwide calendar's full day — 8 hours, derived from the
# national office hours, not typed in. A unit whose full day is shorter checks against its own calendar
# (procedures.selectors.deadlines.procedure_deadline_minutes). The constraint below and the allotment
# trigger (migration 0003) hold the same 480, which stays true as long as the national hours do.
WORKING_DAY_MINUTES = NATIONAL_FULL_DAY_MINUTES
WORKING_HOUR_MINUTES = 60


# The fields with their counts of active procedures (the catalogue's side menu) are cached; any save
# or delete of a field or procedure drops them (bulk updates bypass signals: a 5-minute expiry bounds that).
FIELD_COUNTS_CACHE_KEY = "catalogue:field-counts"
FIELD_COUNTS_TTL = 300

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
# Documents and steps are written one per line with "|" between parts in CSV exports.
single_line = RegexValidator(r"^[^|\r\n]*$", _("Use one line without the “|” character."))
TEMPLATE_EXTENSIONS = ["pdf", "doc", "docx", "odt"]


def vnd(amount: int) -> str:
    return thousands(amount, "," if (get_language() or "vi").startswith("en") else ".")


class Bilingual:
    """Show the English text when the active language is English, falling back to Vietnamese."""

    def localized(self, attr: str) -> str:
        if (get_language() or "vi").startswith("en"):
            english = getattr(self, f"{attr}_en", "")
            if english:
                return english
        return getattr(self, attr)


class OnlineLevel(models.TextChoices):
    FULL = "full", _("fully online")
    PARTIAL = "partial", _("partly online")
    NONE = "none", _("in person only")


class FeeKind(models.TextChoices):
    FREE = "free", _("free of charge")
    FIXED = "fixed", _("fixed amount")
    VARIES = "varies", _("varies")


class ImplementingLevel(models.TextChoices):
    COMMUNE = "commune", _("Ward / commune People's Committee")
    COMMUNE_POLICE = "commune_police", _("Ward / commune police")
    COMMUNE_MILITARY = "commune_military", _("Ward / commune military command")
    DISTRICT = "district", _("District People's Committee (received at the ward)")


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("original")
    CERTIFIED_COPY = "certified_copy", _("certified copy")
    COPY = "copy", _("copy")
    PRESENT = "present", _("original to show (returned to you)")


class Field(Bilingual, models.Model):
    """Lĩnh vực: the area a procedure belongs to (civil status, certification, residence …)."""

    code = models.SlugField(_("code"), max_length=50, unique=True, help_text=_("Used in links, e.g. ho-tich."))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Procedure(Bilingual, models.Model):
    code = models.CharField(
        _("procedure code"),
        max_length=30,
        unique=True,
        validators=[RegexValidator(CODE_PATTERN, _("A code may hold only letters, digits, dots, dashes and _."))],
        help_text=_("National code, e.g. 1.001612."),
    )
    name = models.CharField(_("name"), max_length=500)
    name_en = models.CharField(_("name in English"), max_length=500, blank=True)
    # Nullable in the database so bare procedures (e.g. in calendar tests) can exist; forms and the
    # importer require it (blank=False).
    field = models.ForeignKey(
        Field, verbose_name=_("field"), null=True, on_delete=models.PROTECT, related_name="procedures"
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    applicant = models.TextField(_("who may apply"), blank=True)
    applicant_en = models.TextField(_("who may apply (English)"), blank=True)
    implementing_level = models.CharField(
        _("implementing unit"), max_length=20, choices=ImplementingLevel.choices, default=ImplementingLevel.COMMUNE
    )
    result = models.CharField(_("result"), max_length=500, blank=True)
    result_en = models.CharField(_("result (English)"), max_length=500, blank=True)
    fee_kind = models.CharField(_("fee"), max_length=10, choices=FeeKind.choices, default=FeeKind.FREE)
    fee_amount = models.PositiveIntegerField(
        _("fee amount (VND)"), null=True, blank=True, help_text=_("Fixed fee, or the base amount when it varies.")
    )
    fee_description = models.TextField(_("fee details"), blank=True)
    fee_description_en = models.TextField(_("fee details (English)"), blank=True)
    online_level = models.CharField(
        _("online service"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    deadline_amount = models.PositiveIntegerField(_("statutory deadline"))
    deadline_unit = models.CharField(_("deadline unit"), max_length=20, choices=DeadlineUnit.choices)
    deadline_cutoff = models.TimeField(
        _("cut-off time"), null=True, blank=True, help_text=_("For same-day procedures, e.g. 15:00.")
    )
    no_wait = models.BooleanField(_("no-wait procedure"), default=False)
    no_wait_minutes = models.PositiveSmallIntegerField(_("no-wait target (minutes)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    units = models.ManyToManyField(
        "units.Unit",
        verbose_name=_("offered by"),
        blank=True,
        related_name="procedures",
        help_text=_("Leave empty when every ward and commune offers it."),
    )
    source_note = models.TextField(
        _("sources and notes"),
        blank=True,
        help_text=_("Where the figures come from, and which ones are uncertain or set locally."),
    )
    # Lowercase, diacritics-free copy of the searchable text ("chung thuc" finds "Chứng thực");
    # written by procedures.services.catalogue, never by hand.
    search_text = models.TextField(editable=False, default="", blank=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"], m2m_fields=[units])

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline_amount__gt=0), name="procedure_deadline_positive"),
            models.CheckConstraint(
                condition=~Q(deadline_unit="same_day_cutoff") | Q(deadline_cutoff__isnull=False),
                name="procedure_same_day_has_cutoff",
                violation_error_message=_("A same-day deadline needs a cut-off time."),
            ),
            # IS NOT NULL spelled out: a CHECK passes when its condition is NULL.
            models.CheckConstraint(
                condition=Q(no_wait=False) | Q(no_wait_minutes__isnull=False, no_wait_minutes__gt=0),
                name="procedure_no_wait_has_minutes",
                violation_error_message=_("A no-wait procedure needs a positive target in minutes."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(no_wait=False)
                    | Q(deadline_unit="working_days", no_wait_minutes__lt=F("deadline_amount") * WORKING_DAY_MINUTES)
                    | Q(deadline_unit="working_hours", no_wait_minutes__lt=F("deadline_amount") * WORKING_HOUR_MINUTES)
                    | Q(deadline_unit="same_day_cutoff", no_wait_minutes__lt=WORKING_DAY_MINUTES)
                ),
                name="procedure_no_wait_shorter_than_deadline",
                violation_error_message=_("The no-wait target must be shorter than the statutory deadline."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(fee_kind="free", fee_amount__isnull=True)
                    | Q(fee_kind="fixed", fee_amount__isnull=False, fee_amount__gt=0)
                    | (Q(fee_kind="varies") & (Q(fee_amount__isnull=True) | Q(fee_amount__gt=0)))
                ),
                name="procedure_fee_amount_matches_kind",
                violation_error_message=_(
                    "A fixed fee needs a positive amount; a free procedure has no amount; "
                    "a varying fee may give a positive base amount."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(fee_kind="varies") | ~Q(fee_description=""),
                name="procedure_varying_fee_described",
                violation_error_message=_("Explain how a varying fee is worked out."),
            ),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN),
                name="procedure_code_charset",
                violation_error_message=_("A code may hold only letters, digits, dots, dashes and _."),
            ),
        ]
        indexes = [models.Index(fields=["is_active", "field"], name="procedure_active_field")]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def clean(self):
        """A same-day cut-off must fall in office hours: "15:00", never "07:00" or the lunch break."""
        super().clean()
        if self.deadline_unit == DeadlineUnit.SAME_DAY_CUTOFF and self.deadline_cutoff is not None:
            try:
                WorkingCalendar().check_cutoff(self.deadline_cutoff)
            except CalendarError as exc:
                raise ValidationError({"deadline_cutoff": gettext(exc.template) % exc.params}) from None

    @property
    def deadline_minutes(self) -> int:
        """The statutory deadline in working minutes on the nationwide calendar, a working day being its full
        day (a same-day deadline counts as one working day)."""
        return deadline_working_minutes(self.deadline_amount, self.deadline_unit, WORKING_DAY_MINUTES)

    @property
    def deadline_text(self) -> str:
        if self.deadline_unit == DeadlineUnit.SAME_DAY_CUTOFF:
            cutoff = self.deadline_cutoff.strftime("%H:%M") if self.deadline_cutoff else "15:00"
            return _("Within the working day; the next working day if received after %(cutoff)s") % {"cutoff": cutoff}
        if self.deadline_unit == DeadlineUnit.WORKING_HOURS:
            return ngettext("%(n)s working hour", "%(n)s working hours", self.deadline_amount) % {
                "n": self.deadline_amount
            }
        return ngettext("%(n)s working day", "%(n)s working days", self.deadline_amount) % {"n": self.deadline_amount}

    @property
    def fee_summary(self) -> str:
        """The fee in a few words for lists; the details are in fee_description."""
        if self.fee_kind == FeeKind.FIXED and self.fee_amount:
            return _("%(amount)s VND") % {"amount": vnd(self.fee_amount)}
        if self.fee_kind == FeeKind.VARIES:
            if self.fee_amount:
                return _("from %(amount)s VND") % {"amount": vnd(self.fee_amount)}
            return _("varies (see details)")
        return _("free of charge")

    def build_search_text(self, field: Field | None = None) -> str:
        """The folded text search matches against: names in both languages, code and field."""
        field = field if field is not None else self.field
        parts = [self.name, self.name_en, self.code]
        if field is not None:
            parts += [field.name, field.name_en]
        return " | ".join(fold(p) for p in parts if p)


class RequiredDocument(Bilingual, models.Model):
    """Thành phần hồ sơ: one document the dossier must contain."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(_("document"), max_length=500, validators=[single_line])
    name_en = models.CharField(_("document (English)"), max_length=500, blank=True, validators=[single_line])
    form = models.CharField(_("form"), max_length=20, choices=DocumentForm.choices, default=DocumentForm.ORIGINAL)
    count = models.PositiveSmallIntegerField(_("number of copies"), default=1)
    note = models.CharField(_("when it is needed"), max_length=500, blank=True, validators=[single_line])
    note_en = models.CharField(_("when it is needed (English)"), max_length=500, blank=True, validators=[single_line])
    template = models.FileField(
        _("template to download"),
        upload_to="catalogue/templates/",
        blank=True,
        validators=[FileExtensionValidator(TEMPLATE_EXTENSIONS)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["procedure", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="document_count_positive"),
        ]

    def __str__(self):
        return self.name


class ProcessStep(Bilingual, models.Model):
    """One step of the published internal process (quy trình nội bộ), with its time allotment.

    "All allotments add up to no more than the statutory deadline" spans several rows, which a
    CheckConstraint cannot express; services.catalogue.check_step_allotments enforces it on every
    write path (service, admin formset, importer) and, on PostgreSQL, a deferred constraint trigger
    (migration 0003) is the last line of defence.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    description = models.CharField(_("step"), max_length=500, validators=[single_line])
    description_en = models.CharField(_("step (English)"), max_length=500, blank=True, validators=[single_line])
    responsible = models.CharField(_("responsible"), max_length=200, validators=[single_line])
    responsible_en = models.CharField(_("responsible (English)"), max_length=200, blank=True, validators=[single_line])
    allotment_minutes = models.PositiveIntegerField(_("time allotted (working minutes)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["procedure", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(allotment_minutes__gt=0), name="step_allotment_positive"),
        ]

    def __str__(self):
        return self.description

    @property
    def allotment_text(self) -> str:
        return minutes_text(self.allotment_minutes)


def minutes_text(minutes: int) -> str:
    """Working minutes in words: '4 working hours', '1.5 working days', '15 minutes'."""
    if minutes % WORKING_DAY_MINUTES == 0:
        n = minutes // WORKING_DAY_MINUTES
        return ngettext("%(n)s working day", "%(n)s working days", n) % {"n": n}
    if minutes % WORKING_HOUR_MINUTES == 0:
        n = minutes // WORKING_HOUR_MINUTES
        return ngettext("%(n)s working hour", "%(n)s working hours", n) % {"n": n}
    if minutes > WORKING_HOUR_MINUTES:
        hours, rest = divmod(minutes, WORKING_HOUR_MINUTES)
        return ngettext(
            "%(hours)s working hour %(minutes)s minutes", "%(hours)s working hours %(minutes)s minutes", hours
        ) % {"hours": hours, "minutes": rest}
    return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}


@receiver([post_save, post_delete], sender=Procedure)
@receiver([post_save, post_delete], sender=Field)
def _forget_field_counts(sender, **kwargs):
    cache.delete(FIELD_COUNTS_CACHE_KEY)
