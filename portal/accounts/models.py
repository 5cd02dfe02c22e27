"""The custom user: citizens and staff share one table, told apart by role."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .validators import mask_cccd, normalize_cccd, normalize_phone, validate_cccd, validate_phone


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    DESK_OFFICER = "desk_officer", _("One-stop desk officer")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")
    UNIT_ADMIN = "unit_admin", _("Unit administrator")
    # Above the wards (a province or district unit): edits the statutory catalogue every ward shares.
    CATALOGUE_EDITOR = "catalogue_editor", _("Catalogue editor")


STAFF_ROLES = frozenset({Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, Role.UNIT_ADMIN, Role.CATALOGUE_EDITOR})
# Roles that work in the admin site (is_staff follows the role; see accounts.permissions).
ADMIN_SITE_ROLES = frozenset({Role.UNIT_ADMIN, Role.CATALOGUE_EDITOR})


class User(AbstractUser):
    first_name = None
    last_name = None

    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=15, blank=True, validators=[validate_phone])
    email = models.EmailField(_("email address"), blank=True)
    cccd = models.CharField(_("citizen ID (CCCD)"), max_length=12, blank=True, validators=[validate_cccd])
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    # The language of the e-mails the portal sends this person (the pages follow the visitor's choice).
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    objects = UserManager()
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"],
                condition=~Q(phone=""),
                name="user_phone_unique",
                violation_error_message=_("An account with this phone number already exists."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=_("An account with this email address already exists."),
            ),
            models.UniqueConstraint(
                fields=["cccd"],
                condition=~Q(cccd=""),
                name="user_cccd_unique",
                violation_error_message=_("An account with this citizen ID already exists."),
            ),
            models.CheckConstraint(
                condition=Q(role=Role.CITIZEN) | Q(unit__isnull=False),
                name="user_staff_has_unit",
                violation_error_message=_("Staff accounts must belong to a unit."),
            ),
            models.CheckConstraint(
                condition=Q(cccd="") | Q(cccd__regex=r"^[0-9]{12}$"),
                name="user_cccd_12_digits",
            ),
            # Stored phones are the normalised national form in ASCII digits, so the unique constraint above
            # compares like with like: a fullwidth spelling can never sit beside the real number.
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=r"^0[0-9]{9,10}$"),
                name="user_phone_ascii_digits",
                violation_error_message=_("Enter a Vietnamese phone number, e.g. 0912 345 678 or +84 912 345 678."),
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def clean_fields(self, exclude=None):
        # Normalise before the validators run, so every writer (forms, admin, services) stores one spelling.
        self.phone = normalize_phone(self.phone)
        self.cccd = normalize_cccd(self.cccd)
        super().clean_fields(exclude=exclude)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split()[-1] if self.full_name else self.username

    @property
    def is_citizen(self) -> bool:
        return self.role == Role.CITIZEN

    @property
    def is_unit_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def masked_cccd(self) -> str:
        return mask_cccd(self.cccd)
