from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from portal.admin_services import ObjectReachAdminMixin
from portal.units.selectors import units_visible_to

from .models import Role, User
from .permissions import admin_site_access, assignable_roles


@admin.register(User)
class UserAdmin(ObjectReachAdminMixin, BaseUserAdmin):
    """Unit admins manage the staff of their own unit (and its subtree) only."""

    list_display = ("username", "full_name", "role", "unit", "phone", "is_active")
    list_filter = ("role", "is_active", "unit")
    search_fields = ("username", "full_name", "phone", "email")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone", "email", "cccd")}),
        (_("Role"), {"fields": ("role", "unit", "is_active", "is_staff")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "role", "unit", "password1", "password2")}),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("unit")
        if request.user.is_superuser:
            return qs
        # Accounts above a unit admin (superusers, catalogue editors) are not theirs to edit.
        return qs.filter(unit__in=units_visible_to(request.user), is_superuser=False).exclude(
            role__in=set(Role.values) - set(assignable_roles(request.user))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not request.user.is_superuser:
            kwargs["queryset"] = units_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            allowed = assignable_roles(request.user)
            kwargs["choices"] = [(value, label) for value, label in db_field.choices if value in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Admin-site access follows the role, so a unit admin never has to tick "staff status".
        obj.is_staff = admin_site_access(obj)
        super().save_model(request, obj, form, change)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        return ("is_staff", "last_login", "date_joined")
