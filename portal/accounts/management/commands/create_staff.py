import getpass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.accounts.models import STAFF_ROLES, User
from portal.accounts.services import staff_create
from portal.units.models import Unit


def _field_label(name: str) -> str:
    try:
        return f"{User._meta.get_field(name).verbose_name} ({name})"
    except FieldDoesNotExist:
        return name


class Command(BaseCommand):
    help = "Create a staff account in a unit (desk officer, specialist, leader or unit admin)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit code, e.g. H26.08.04")
        parser.add_argument("--role", required=True, choices=sorted(STAFF_ROLES))
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--password", help="omit to be asked (recommended: keeps it out of shell history)")

    def handle(self, *args, **opts):
        try:
            unit = Unit.objects.get(code=opts["unit"])
        except Unit.DoesNotExist:
            raise CommandError(_("No unit has the code %(code)s.") % {"code": opts["unit"]}) from None
        password = opts["password"]
        if not password:
            password = getpass.getpass(_("Password: "))
            if password != getpass.getpass(_("Password (again): ")):
                raise CommandError(_("The two passwords do not match."))
        try:
            user = staff_create(
                unit=unit,
                role=opts["role"],
                username=opts["username"],
                password=password,
                full_name=opts["full_name"],
                email=opts["email"],
                phone=opts["phone"],
            )
        except ValidationError as exc:
            # Same validators and messages as the web forms (password rules included), in the active language.
            messages = [f"{_field_label(field)}: {' '.join(errs)}" for field, errs in exc.message_dict.items()]
            raise CommandError("\n".join(messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Created %(user)s (%(role)s) in %(unit)s.")
                % {"user": user.username, "role": user.get_role_display(), "unit": unit.code}
            )
        )
