"""factory_boy factories with traits; shared by every test package."""

import factory

from portal.accounts.models import Role, User
from portal.units.models import Unit


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
        unit_admin = factory.Trait(
            role=Role.UNIT_ADMIN, unit=factory.SubFactory(UnitFactory), phone="", is_staff=True
        )

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
