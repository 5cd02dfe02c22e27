"""Vietnamese phone numbers and citizen ID (CCCD) numbers: normalise, validate, mask."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Mobile: 03x, 05x, 07x, 08x, 09x + 7 digits; landline: 02 + 9 digits (since 2017). ASCII digits only:
# `\d` would also accept fullwidth and other Unicode digits, which look like someone else's number.
_PHONE_RE = re.compile(r"0(?:[35789][0-9]{8}|2[0-9]{9})")
_CCCD_RE = re.compile(r"[0-9]{12}")

# Province codes that open a CCCD number (Circular 07/2016/TT-BCA, Annex I).
CCCD_PROVINCE_CODES = frozenset(
    """001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034
    035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070
    072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096""".split()
)


def normalize_phone(raw: str) -> str:
    """Return the national form 0xxxxxxxxx; accepts spaces, dots, dashes and +84/84 prefixes.

    NFKC first, so fullwidth digits (０９１２…) become the ASCII number they look like; anything that is
    still not an ASCII digit is left in place for validate_phone to refuse.
    """
    digits = re.sub(r"[\s.\-()]", "", unicodedata.normalize("NFKC", raw or ""))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def normalize_cccd(raw: str) -> str:
    """NFKC and no spaces: a CCCD typed in groups or with fullwidth digits is the same number."""
    return "".join(unicodedata.normalize("NFKC", raw or "").split())


def validate_phone(value: str) -> None:
    if not _PHONE_RE.fullmatch(value or ""):
        raise ValidationError(
            _("Enter a Vietnamese phone number, e.g. 0912 345 678 or +84 912 345 678."),
            code="invalid_phone",
        )


def validate_cccd(value: str) -> None:
    if not _CCCD_RE.fullmatch(value or ""):
        raise ValidationError(_("A citizen ID (CCCD) number has exactly 12 digits."), code="cccd_length")
    if value[:3] not in CCCD_PROVINCE_CODES:
        raise ValidationError(
            _("The first three digits of a citizen ID (CCCD) must be a province code."),
            code="cccd_province",
        )


def mask_cccd(value: str) -> str:
    """Show only the last three digits: enough for a person to recognise their own number."""
    if not value:
        return ""
    return "•" * (len(value) - 3) + value[-3:]


def clean_optional_cccd(raw: str) -> str:
    """A form's optional CCCD: normalised, and validated when given ("" when left empty)."""
    cccd = normalize_cccd(raw)
    if cccd:
        validate_cccd(cccd)
    return cccd
