"""factory_boy factories with traits; shared by every test package."""

from datetime import time

import factory

from portal.accounts.models import Role, User
from portal.units.models import Unit
from procedures.models import Field as CatalogueField
from procedures.models import Procedure, ProcessStep, RequiredDocument
from procedures.services.catalogue import procedure_refresh_search_text


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:02d}.{n:02d}")
    name = factory.Sequence(lambda n: f"Phường Thử {n}")
    kind = Unit.Kind.WARD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người Dùng {n}")
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    role = Role.CITIZEN
    password = factory.PostGenerationMethodCall("set_password", "Pass-word-123")

    class Params:
        desk = factory.Trait(role=Role.DESK_OFFICER, unit=factory.SubFactory(UnitFactory), phone="")
        specialist = factory.Trait(role=Role.SPECIALIST, unit=factory.SubFactory(UnitFactory), phone="")
        leader = factory.Trait(role=Role.LEADER, unit=factory.SubFactory(UnitFactory), phone="")
        unit_admin = factory.Trait(role=Role.UNIT_ADMIN, unit=factory.SubFactory(UnitFactory), phone="", is_staff=True)
        catalogue_editor = factory.Trait(
            role=Role.CATALOGUE_EDITOR,
            unit=factory.SubFactory(UnitFactory, kind=Unit.Kind.PROVINCE),
            phone="",
            is_staff=True,
        )

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# --- procedure catalogue ---------------------------------------------------------------------------------


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueField
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"linh-vuc-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    name_en = factory.Sequence(lambda n: f"Field {n}")
    position = factory.Sequence(lambda n: n)


class ProcedureFactory(factory.django.DjangoModelFactory):
    """A procedure of 3 working days, free, in person; traits: quick (no-wait 15 min), same_day, hours, fixed_fee."""

    class Meta:
        model = Procedure
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm {n}")
    name_en = factory.Sequence(lambda n: f"Test procedure {n}")
    field = factory.SubFactory(FieldFactory)
    deadline_amount = 3
    deadline_unit = "working_days"

    class Params:
        quick = factory.Trait(no_wait=True, no_wait_minutes=15)
        same_day = factory.Trait(deadline_amount=1, deadline_unit="same_day_cutoff", deadline_cutoff=time(15, 0))
        hours = factory.Trait(deadline_amount=8, deadline_unit="working_hours")
        fixed_fee = factory.Trait(fee_kind="fixed", fee_amount=10000, fee_description="10.000 đồng/trường hợp")

    @factory.post_generation
    def _search_text(obj, create, extracted, **kwargs):
        if create:
            procedure_refresh_search_text(obj)


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    procedure = factory.SubFactory(ProcedureFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Giấy tờ {n}")
    name_en = factory.Sequence(lambda n: f"Document {n}")
    form = "original"
    count = 1


class ProcessStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessStep

    procedure = factory.SubFactory(ProcedureFactory)
    position = factory.Sequence(lambda n: n + 1)
    description = factory.Sequence(lambda n: f"Bước {n}")
    responsible = "Bộ phận Một cửa"
    allotment_minutes = 60
