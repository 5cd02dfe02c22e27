"""Demo data for `make run`: Hoàng Mai district with its 14 wards, and one account per role.

With `history` > 0 (the command's default: settings.DEMO_HISTORY_DOSSIERS) it adds a year of synthetic history
across the 14 wards through the dossier generator, and the staff who handled it, so the dashboards have
something to show.
Idempotent: running it twice changes nothing; it never touches passwords of existing accounts.
"""

from django.db import transaction

from portal.accounts.models import Role, User
from portal.accounts.permissions import admin_site_access
from portal.units.calendar.services import seed_demo_calendar
from portal.units.models import Unit
from procedures.services.catalogue_corrections import apply_catalogue_corrections
from procedures.services.catalogue_import import load_shipped_catalogue
from procedures.services.demo_dossiers import seed_demo_dossiers
from procedures.services.demo_feedback import seed_demo_feedback

DEMO_PASSWORD = "MotCua@2026"

PROVINCE = ("H26", "Thành phố Hà Nội")
DISTRICT = ("H26.08", "Quận Hoàng Mai")
# The 14 wards of Hoàng Mai district (before the 2025 reorganisation), codes in alphabetical order.
WARDS = [
    "Đại Kim",
    "Định Công",
    "Giáp Bát",
    "Hoàng Liệt",
    "Hoàng Văn Thụ",
    "Lĩnh Nam",
    "Mai Động",
    "Tân Mai",
    "Thanh Trì",
    "Thịnh Liệt",
    "Trần Phú",
    "Tương Mai",
    "Vĩnh Hưng",
    "Yên Sở",
]
DEMO_WARD_CODE = "H26.08.04"  # Hoàng Liệt, the ward of the reference article

# username, full name, role, unit code (None for citizens)
DEMO_ACCOUNTS = [
    ("citizen", "Nguyễn Văn An", Role.CITIZEN, None),
    ("citizen2", "Đỗ Thị Mai", Role.CITIZEN, None),
    ("desk", "Trần Thị Bình", Role.DESK_OFFICER, DEMO_WARD_CODE),
    ("specialist", "Lê Văn Cường", Role.SPECIALIST, DEMO_WARD_CODE),
    ("leader", "Nguyễn Xuân Chinh", Role.LEADER, DEMO_WARD_CODE),
    ("district", "Phạm Thị Dung", Role.LEADER, DISTRICT[0]),
    ("admin", "Quản trị hệ thống", Role.UNIT_ADMIN, DEMO_WARD_CODE),
    # Edits the statutory catalogue every ward shares (the wards only choose what they offer and local fees).
    ("catalogue", "Vũ Thị Hạnh", Role.CATALOGUE_EDITOR, PROVINCE[0]),
]
DEMO_CITIZEN_PHONE = "0912345678"
# Each demo citizen's phone (the public lookup asks for it) and e-mail.
DEMO_CITIZENS = {
    "citizen": (DEMO_CITIZEN_PHONE, "citizen@example.vn"),
    "citizen2": ("0987654321", "citizen2@example.vn"),
}


def seed_units() -> dict[str, Unit]:
    province, _ = Unit.objects.update_or_create(
        code=PROVINCE[0], defaults={"name": PROVINCE[1], "kind": Unit.Kind.PROVINCE, "parent": None}
    )
    district, _ = Unit.objects.update_or_create(
        code=DISTRICT[0], defaults={"name": DISTRICT[1], "kind": Unit.Kind.DISTRICT, "parent": province}
    )
    units = {province.code: province, district.code: district}
    for i, name in enumerate(WARDS, start=1):
        ward, _ = Unit.objects.update_or_create(
            code=f"{DISTRICT[0]}.{i:02d}",
            defaults={"name": f"Phường {name}", "kind": Unit.Kind.WARD, "parent": district},
        )
        units[ward.code] = ward
    return units


def seed_accounts(units: dict[str, Unit]) -> list[User]:
    users = []
    for username, full_name, role, unit_code in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, role=role)
            user.set_password(DEMO_PASSWORD)
        user.full_name = full_name
        user.role = role
        user.unit = units[unit_code] if unit_code else None
        user.is_superuser = username == "admin"
        user.is_staff = admin_site_access(user)
        if role == Role.CITIZEN:
            user.phone, user.email = DEMO_CITIZENS[username]
        user.save()
        users.append(user)
    return users


@transaction.atomic
def seed_demo(*, history: int = 0) -> dict[str, int]:
    """Create or refresh all demo data, with about `history` dossiers of past year's history across the wards
    (once: see seed_demo_history); returns counts for the command to report."""
    units = seed_units()
    users = seed_accounts(units)
    seed_demo_calendar(units, DEMO_WARD_CODE)
    # An older demo database first has its codes corrected (renamed in place, not duplicated); then the
    # shipped file is loaded, matched by code: unchanged rows are not re-saved, so a second run changes nothing.
    apply_catalogue_corrections()
    catalogue = load_shipped_catalogue()
    procedures = len(catalogue.created) + len(catalogue.updated) + len(catalogue.unchanged)
    dossiers = seed_demo_dossiers(units[DEMO_WARD_CODE])
    bookings = seed_demo_booking(units[DEMO_WARD_CODE])
    feedback = seed_demo_feedback(units[DEMO_WARD_CODE])
    counts = {
        "units": len(units),
        "accounts": len(users),
        "procedures": procedures,
        "dossiers": dossiers,
        "bookings": bookings,
        "feedback": feedback,
    }
    if history:
        counts["history dossiers"] = seed_demo_history(units, history)
    return counts


# Each ward's staff for the demo history: username suffix, role, how many.
WARD_STAFF = [("motcua", Role.DESK_OFFICER, 2), ("chuyenmon", Role.SPECIALIST, 3), ("lanhdao", Role.LEADER, 1)]
FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE_NAMES = ["Thị", "Văn", "Minh", "Thu", "Đức", "Thanh", "Hồng", "Quốc"]
GIVEN_NAMES = ["Anh", "Bình", "Hà", "Hương", "Khánh", "Lan", "Long", "Nam", "Ngọc", "Phương", "Quân", "Thảo", "Trang"]
HISTORY_SEED = 2022  # the reference ward's year: the same history on every machine


def seed_ward_staff(wards: list[Unit]) -> int:
    """Desk officers, specialists and a leader in every ward (username `<ward code>.<role><n>`, no usable
    password: they exist to have handled the history, nobody signs in as them). Returns how many it made."""
    made = 0
    n = 0
    for ward in wards:
        for suffix, role, count in WARD_STAFF:
            for i in range(1, count + 1):
                n += 1
                username = f"{ward.code.lower()}.{suffix}{i}"
                if User.objects.filter(username=username).exists():
                    continue
                name = (
                    f"{FAMILY_NAMES[n % len(FAMILY_NAMES)]} {MIDDLE_NAMES[n * 7 % len(MIDDLE_NAMES)]} "
                    f"{GIVEN_NAMES[n * 5 % len(GIVEN_NAMES)]}"
                )
                user = User(username=username, full_name=name, role=role, unit=ward)
                user.set_unusable_password()
                user.save()
                made += 1
    return made


def seed_demo_history(units: dict[str, Unit], count: int) -> int:
    """About `count` dossiers over the past year across the wards, with the wards' staff (procedures.services.
    dossier_generator: seasons, each ward's volume, mix, timeliness and ratings). Once only: the demo's own
    dossiers are all in the demo ward, so a dossier in any other ward means the history is there.
    Returns how many dossiers it made."""
    from django.utils import timezone

    from procedures.models import Dossier
    from procedures.services.dashboard_snapshots import dashboard_snapshots_backfill
    from procedures.services.dossier_generator import generate_dossiers, years_back

    wards = sorted((u for u in units.values() if u.kind == Unit.Kind.WARD), key=lambda u: u.code)
    if count <= 0 or Dossier.objects.filter(unit__in=wards).exclude(unit__code=DEMO_WARD_CODE).exists():
        return 0
    seed_ward_staff(wards)
    result = generate_dossiers(count=count, unit_codes=[w.code for w in wards], seed=HISTORY_SEED, years=1)
    # The finished months of the history are published: the trend reads their snapshots instead of recounting.
    dashboard_snapshots_backfill(wards=wards, since=years_back(timezone.localdate(), 1))
    return result["dossiers"]


# Counters of the demo ward's desk: number, name, fields served (none = every field).
DEMO_COUNTERS = [(1, "Hộ tịch", ["ho-tich"]), (2, "Chứng thực", ["chung-thuc"]), (3, "Các lĩnh vực khác", [])]


def seed_demo_booking(ward: Unit) -> int:
    """Three counters and, for each demo citizen without one, a booking on the next bookable working day
    (a certification at 09:00, a civil-status one at 10:00: a Saturday morning has both).
    Returns how many bookings it made."""
    from datetime import datetime, timedelta

    from django.db.models import Q
    from django.utils import timezone

    from portal.units.calendar.selectors import unit_calendar
    from procedures.models import Booking, Counter, Field, Procedure
    from procedures.services.booking import BookingError, booking_create

    for number, name, fields in DEMO_COUNTERS:
        counter, _ = Counter.objects.get_or_create(unit=ward, number=number, defaults={"name": name})
        counter.fields.set(Field.objects.filter(code__in=fields))
    calendar = unit_calendar(ward)
    day = timezone.localdate() + timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    made = 0
    picks = [("citizen", "chung-thuc", 9), ("citizen2", "ho-tich", 10)]
    for username, field, hour in picks:
        citizen = User.objects.filter(username=username).first()
        offered = Procedure.objects.filter(field__code=field, is_active=True).exclude(unit_choices__offered=False)
        procedure = offered.filter(Q(units=None) | Q(units=ward)).order_by("code").first()
        if citizen is None or procedure is None or Booking.objects.filter(citizen=citizen).exists():
            continue
        start = datetime.combine(day, datetime.min.time().replace(hour=hour), tzinfo=calendar.tz)
        try:
            booking_create(citizen=citizen, procedure=procedure, unit=ward, start=start)
            made += 1
        except BookingError:
            continue  # a full slot or a limit reached: the demo goes without
    return made
