"""Reading a rendered paper as a citizen would: pages, paper size, text, fonts, the QR code's modules."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from procedures.documents.pdf import QR_BORDER

VN = ZoneInfo("Asia/Ho_Chi_Minh")
A4_POINTS = (595.28, 841.89)
SHIPPED_FONT = "MotCua-Serif"  # the @font-face family of procedures/documents/pdf.py, as WeasyPrint names it


def local(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=VN)


@dataclass
class Paper:
    pages: int
    sizes: list[tuple[float, float]]
    text: str  # whitespace folded: a line break is a space
    fonts: set[str]


def read_pdf(data: bytes) -> Paper:
    reader = PdfReader(io.BytesIO(data))
    fonts: set[str] = set()
    texts = []
    for page in reader.pages:
        texts.append(page.extract_text())
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    sizes = [(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in reader.pages]
    return Paper(len(reader.pages), sizes, " ".join(" ".join(texts).split()), fonts)


def assert_a4_shipped_font(paper: Paper, *, max_pages: int | None = 1) -> None:
    assert paper.pages >= 1
    if max_pages is not None:
        assert paper.pages <= max_pages, f"{paper.pages} pages"
    assert all(size == A4_POINTS for size in paper.sizes), paper.sizes
    # Subset fonts are named "ABCDEF+Family-Style": every glyph comes from the shipped font, no fallback.
    assert paper.fonts, "no font in the PDF"
    assert all(name.split("+", 1)[-1].startswith(SHIPPED_FONT) for name in paper.fonts), paper.fonts


def svg_modules(html: str, *, border: int = QR_BORDER) -> set[tuple[int, int]]:
    """The dark modules (row, column) drawn by segno's SVG path in `html`: `M x y` / `m dx dy` moves and `h n`
    horizontal runs of a stroke through the middle of a row of modules, the quiet zone `border` wide."""
    match = re.search(r'<svg[^>]*class="segno"[^>]*>.*?<path[^>]*\bd="([^"]+)"', html, re.S)
    assert match, "no QR code in the paper"
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for command, args in re.findall(r"([Mmh])([^Mmh]*)", match.group(1)):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:
            dark.update((int(y) - border, column - border) for column in range(round(x), round(x + numbers[0])))
            x += numbers[0]
    return dark


def matrix_modules(qr) -> set[tuple[int, int]]:
    """The dark modules of a segno QR code, (row, column)."""
    return {(r, c) for r, row in enumerate(qr.matrix) for c, value in enumerate(row) if value}
