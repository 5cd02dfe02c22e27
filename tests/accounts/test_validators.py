import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from portal.accounts.validators import mask_cccd, normalize_phone, validate_cccd, validate_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "0912345678"),  # already national form
        ("0912 345 678", "0912345678"),  # spaces as people write them
        ("+84 912 345 678", "0912345678"),  # international prefix
        ("84912345678", "0912345678"),  # prefix without plus
        ("091.234.5678", "0912345678"),  # dots
        ("024-3864-1234", "02438641234"),  # Hanoi landline, 11 digits
    ],
)
def test_phone_is_normalised_to_national_form(raw, expected):
    assert normalize_phone(raw) == expected
    validate_phone(expected)


@pytest.mark.parametrize("bad", ["", "12345", "0112345678", "09123456789", "091234567a", "0412345678"])
def test_bad_phone_numbers_are_rejected(bad):
    with pytest.raises(ValidationError):
        validate_phone(normalize_phone(bad))


def test_cccd_must_have_12_digits_and_a_province_code():
    validate_cccd("001203012345")  # Hà Nội, born in the 2000s
    with pytest.raises(ValidationError, match="12 chữ số"):
        validate_cccd("00120301234")
    with pytest.raises(ValidationError):
        validate_cccd("00120301234x")
    with pytest.raises(ValidationError, match="mã tỉnh"):
        validate_cccd("003203012345")  # 003 is not a province code


def test_cccd_is_masked_except_last_three_digits():
    assert mask_cccd("001203012345") == "•••••••••345"
    assert mask_cccd("") == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("０９１２３４５６７８", "0912345678"),  # fullwidth digits fold to the number they look like
        ("09１２３４５６７８", "0912345678"),  # the squatting spelling from the report
        ("＋８４ ９１２ ３４５ ６７８", "0912345678"),  # fullwidth plus sign and prefix
    ],
)
def test_fullwidth_phone_numbers_normalise_to_ascii(raw, expected):
    assert normalize_phone(raw) == expected
    validate_phone(normalize_phone(raw))


@pytest.mark.parametrize(
    "raw",
    ["٠٩١٢٣٤٥٦٧٨", "۰۹۱۲۳۴۵۶۷۸", "०९१२३४५६७८", "𝟎𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖x"],
)
def test_digits_that_are_not_ascii_after_nfkc_are_refused(raw):
    with pytest.raises(ValidationError):
        validate_phone(normalize_phone(raw))


def test_validate_phone_wants_the_whole_value():
    with pytest.raises(ValidationError):
        validate_phone("0912345678\n")  # `$` would have let a trailing newline through


def test_cccd_normalises_fullwidth_and_refuses_other_digits():
    from portal.accounts.validators import normalize_cccd

    assert normalize_cccd("００１ ２０３ ０１２ ３４５") == "001203012345"
    validate_cccd(normalize_cccd("００１２０３０１２３４５"))
    with pytest.raises(ValidationError):
        validate_cccd(normalize_cccd("٠٠١٢٠٣٠١٢٣٤٥"))


@given(st.text(alphabet=st.characters(categories=["Nd"]), min_size=10, max_size=11))
def test_any_accepted_phone_is_ascii_digits_only(raw):
    """Property: whatever Unicode digits go in, what validates is plain ASCII."""
    phone = normalize_phone(raw)
    try:
        validate_phone(phone)
    except ValidationError:
        return
    assert phone.isascii() and phone.isdigit()
