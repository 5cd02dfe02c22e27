from django.contrib import admin

from .models import Unit
from .selectors import units_visible_to


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)

    def get_queryset(self, request):
        return units_visible_to(request.user).select_related("parent")
