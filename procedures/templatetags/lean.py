"""Quick equivalents of common template idioms, for pages on the hot path (the public lookup page).

`{% text_field field %}` for `{{ field|as_crispy_field }}` (a text input) and `{{ moment|minute_date }}` for
`{{ moment|date:"H:i d/m/Y" }}` give the same markup and text in a fraction of the time (crispy renders a dozen
nested templates per field; the date filter parses its format each time); tests/dossiers/test_lookup.py compares
them with the originals. `{% fixed %}…{% endfixed %}` renders text that depends on the language only once per
language and process.
"""

from __future__ import annotations

from django import template
from django.template.base import TextNode
from django.template.defaulttags import URLNode
from django.templatetags.i18n import TranslateNode
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


class FixedNode(template.Node):
    """Its content rendered once per language, then given as it is: every `{% translate %}` costs a lookup of the
    active language and catalogue, and a page's headings, labels and button texts are many of them."""

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.by_language: dict[str | None, str] = {}

    def render(self, context):
        language = get_language()
        html = self.by_language.get(language)
        if html is None:
            html = self.by_language[language] = self.nodelist.render(context)
        return html


def _constant(node) -> bool:
    """Text, a `{% translate "literal" %}` or a `{% url 'name' %}` without arguments: nothing a visitor or a
    request can change (the deployed translations and URLs change only with a restart)."""
    if isinstance(node, TextNode):
        return True
    if isinstance(node, TranslateNode):
        expression, context = node.filter_expression, node.message_context
        return (
            expression.var.literal is not None
            and not expression.filters
            and not node.asvar
            and (context is None or _literal(context))
        )
    if isinstance(node, URLNode):
        return _literal(node.view_name) and not (node.args or node.kwargs or node.asvar)
    return False


def _literal(expression) -> bool:
    """A filter expression that is a quoted string (the parser resolves those at once) and nothing more."""
    return isinstance(expression.var, str) and not expression.filters


@register.tag
def fixed(parser, token):
    """``{% fixed %}<h1>{% translate "Look up a dossier" %}</h1>{% endfixed %}``: only text, literal translations
    and argument-free URLs are allowed inside (anything else is a template syntax error), so what is kept can
    hold nothing of one visitor's."""
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    for node in nodelist:
        if not _constant(node):
            raise template.TemplateSyntaxError(f"{{% fixed %}} holds only text, translations and URLs, not {node!r}")
    return FixedNode(nodelist)


@register.filter(expects_localtime=True)
def minute_date(moment) -> str:
    """``{{ moment|minute_date }}``: what ``|date:"H:i d/m/Y"`` shows (current time zone), e.g. 09:00 09/03/2026."""
    if not moment:
        return ""
    return moment.strftime("%H:%M %d/%m/%Y")


@register.simple_tag
def text_field(field) -> str:
    """A form's text field as crispy-forms' Bootstrap 5 template renders it: label with the required mark, the
    input with its value, maxlength, is-invalid/aria-invalid and aria-describedby (help text, errors), the errors,
    the help text (escaped: crispy marks it safe, and ours hold no markup). Built as one string: format_html per
    attribute cost as much as the rest of the page's content."""
    id_, errors, required, value = field.auto_id, field.errors, field.field.required, field.value()
    help_text, max_length = conditional_escape(field.help_text), getattr(field.field, "max_length", None)
    described = " ".join(([f"{id_}_helptext"] if help_text else []) + ([f"{id_}_error"] if errors else []))
    html = [
        f'<div id="div_{id_}" class="mb-3"><label for="{id_}" class="form-label',
        ' requiredField">' if required else '">',
        conditional_escape(field.label),
        '<span class="asteriskField">*</span></label>' if required else "</label>",
        f'<input type="text" name="{field.html_name}"',
        f' value="{conditional_escape(value)}"' if value not in (None, "") else "",
        f' maxlength="{max_length}"' if max_length is not None else "",
        ' class="textinput form-control is-invalid"' if errors else ' class="textinput form-control"',
        " required" if required else "",
        ' aria-invalid="true"' if errors else "",
        f' aria-describedby="{described}"' if described else "",
        f' id="{id_}">',
    ]
    if errors:
        html.append(f'<div id="{id_}_error" class="invalid-feedback">')
        html.extend(
            f'<p id="error_{n}_{id_}"><strong>{conditional_escape(error)}</strong></p>'
            for n, error in enumerate(errors, 1)
        )
        html.append("</div>")
    if help_text:
        html.append(f'<div id="{id_}_helptext" class="form-text">{help_text}</div>')
    html.append("</div>")
    # The field's name and id are Python identifiers chosen by the form (no markup); everything else is escaped.
    return mark_safe("".join(html))  # noqa: S308
