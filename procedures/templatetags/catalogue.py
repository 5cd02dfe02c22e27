"""Template helpers of the catalogue pages."""

from django import template

register = template.Library()


@register.filter
def loc(obj, attr: str) -> str:
    """`{{ procedure|loc:"name" }}`: the English text in English when there is one, else the Vietnamese."""
    if obj is None:
        return ""
    return obj.localized(attr)
