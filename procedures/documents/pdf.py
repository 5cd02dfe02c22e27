"""A snapshot (procedures.services.documents) → an A4 PDF: Django template → HTML → WeasyPrint.

Rendering reads nothing but the snapshot (and the reprint time), so the first print and every reprint of a
paper are the same text. The font is the shipped DejaVu Serif (static/fonts, its licence beside it), declared
with @font-face and named alone, so the output never depends on the machine's fonts. The QR code is segno's
SVG, drawn inline: no image service.
"""

from __future__ import annotations

import atexit
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from . import vietnamese

FONT_DIR = settings.BASE_DIR / "static" / "fonts"
FONT_FAMILY = "MotCua Serif"
FONT_FILES = {
    ("normal", "normal"): "DejaVuSerif.ttf",
    ("bold", "normal"): "DejaVuSerif-Bold.ttf",
    ("normal", "italic"): "DejaVuSerif-Italic.ttf",
}


QR_BORDER = 4  # modules of quiet zone, as ISO/IEC 18004 asks


def qr_svg(payload: str) -> str:
    """The QR code of `payload` as inline SVG sized by the stylesheet (error correction M: survives a crease)."""
    return segno.make(payload, error="m", micro=False).svg_inline(border=QR_BORDER, omitsize=True)


@lru_cache(maxsize=1)
def _fonts():
    """The font configuration and the slips' stylesheet with the shipped font (parsed once per process)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    faces = "".join(
        f"@font-face {{ font-family: '{FONT_FAMILY}'; font-weight: {weight}; font-style: {style};"
        f" src: url('{(FONT_DIR / name).as_uri()}'); }}\n"
        for (weight, style), name in FONT_FILES.items()
    )
    styles = faces + (Path(__file__).with_name("slips.css")).read_text(encoding="utf-8")
    # Dropped before the interpreter tears modules down (WeasyPrint's finaliser needs them).
    atexit.register(_fonts.cache_clear)
    return config, CSS(string=styles, font_config=config)


def render_html(snapshot: dict, *, reprinted_at: datetime | None = None) -> str:
    context = {
        "s": snapshot,
        "font_family": FONT_FAMILY,
        "reprint_line": f"Bản in lại lúc {vietnamese.time_line(reprinted_at)}" if reprinted_at else "",
    }
    if snapshot.get("qr_url"):
        context["qr"] = mark_safe(qr_svg(snapshot["qr_url"]))  # noqa: S308 - segno's own SVG
    if snapshot.get("rating_url"):
        context["rating_qr"] = mark_safe(qr_svg(snapshot["rating_url"]))  # noqa: S308 - segno's own SVG
    # The papers are Vietnamese legal forms whatever the visitor's language.
    with translation.override("vi"):
        return render_to_string(f"procedures/documents/{snapshot['kind']}.html", context)


def render_pdf(snapshot: dict, *, reprinted_at: datetime | None = None) -> bytes:
    from weasyprint import HTML

    config, fonts = _fonts()
    html = HTML(string=render_html(snapshot, reprinted_at=reprinted_at), base_url=str(settings.BASE_DIR))
    return html.write_pdf(stylesheets=[fonts], font_config=config)
