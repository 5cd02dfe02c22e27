"""Checking a dossier's uploads before anything is stored: PDF, JPEG and PNG only (DESIGN.md §3, §4).

A file passes when its extension, its content type sniffed from the magic bytes (the `filetype` library)
and its structure agree: a PDF starts with `%PDF-` and ends with `%%EOF`; a PNG is a chain of chunks with
valid CRCs ending in IEND; a JPEG starts with SOI and ends with EOI. So an HTML page renamed `.pdf`, or a
PNG signature followed by HTML, is refused. Every problem is collected and raised at once, each naming the
document, so the caller stores nothing when any file is refused.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}
EXTENSION_TYPE = {ext: mime for mime, exts in ALLOWED.items() for ext in exts}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PDF_EOF_WINDOW = 1024  # `%%EOF` may be followed by a newline or a few bytes of padding


@dataclass(frozen=True)
class CheckedUpload:
    required_document: object  # a RequiredDocument
    file: object  # a Django File (UploadedFile)
    original_name: str
    content_type: str
    size: int


def _read(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    if hasattr(file, "seek"):
        file.seek(0)
    return data


def _png_is_whole(data: bytes) -> bool:
    """Walk the chunks: each length, type and CRC must fit, and the file must end right after IEND."""
    pos = len(PNG_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data) or not kind.isalpha():
            return False
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(data[pos + 4 : end - 4]) != crc:
            return False
        if kind == b"IEND":
            return end == len(data)
        pos = end
    return False


def _pdf_is_whole(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-PDF_EOF_WINDOW:]


def _jpeg_is_whole(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff") and data.rstrip(b"\x00\r\n ").endswith(b"\xff\xd9")


STRUCTURE = {"application/pdf": _pdf_is_whole, "image/png": _png_is_whole, "image/jpeg": _jpeg_is_whole}


def _problem(document_name: str, file_name: str, data: bytes | None, size: int) -> tuple[str | None, str]:
    """(message or None, content type) for one file."""
    ext = PurePosixPath(file_name).suffix.lower()
    expected = EXTENSION_TYPE.get(ext)
    params = {"document": document_name, "file": file_name}
    if expected is None:
        return _("%(document)s: “%(file)s” is not a PDF, JPEG or PNG file.") % params, ""
    if size == 0:
        return _("%(document)s: “%(file)s” is empty.") % params, ""
    if size > settings.DOSSIER_MAX_FILE_BYTES:
        params["limit"] = filesizeformat(settings.DOSSIER_MAX_FILE_BYTES)
        return _("%(document)s: “%(file)s” is larger than %(limit)s.") % params, ""
    kind = filetype.guess(data)
    if kind is None or kind.mime != expected:
        return _("%(document)s: the content of “%(file)s” is not what its name says (PDF, JPEG or PNG).") % params, ""
    if not STRUCTURE[expected](data):
        return _("%(document)s: “%(file)s” is damaged or holds something other than a %(kind)s.") % {
            **params,
            "kind": ext.lstrip(".").upper(),
        }, ""
    return None, expected


def check_uploads(items: Iterable[tuple[object, object]], *, stored_bytes: int = 0, stored_count: int = 0):
    """Check (required_document, file) pairs; return CheckedUpload rows or raise one ValidationError listing
    every refused file. `stored_*` are the dossier's files already kept (a supplement adds to them)."""
    checked: list[CheckedUpload] = []
    errors: list[str] = []
    total, count = stored_bytes, stored_count
    for document, file in items:
        name = PurePosixPath(getattr(file, "name", "") or "").name or _("(no name)")
        size = getattr(file, "size", None)
        data = _read(file)
        size = len(data) if size is None else size
        message, content_type = _problem(str(document), name, data, size)
        if message:
            errors.append(message)
            continue
        total += size
        count += 1
        checked.append(CheckedUpload(document, file, name[:255], content_type, size))
    if total > settings.DOSSIER_MAX_TOTAL_BYTES:
        errors.append(
            _("The files of this dossier add up to more than %(limit)s.")
            % {"limit": filesizeformat(settings.DOSSIER_MAX_TOTAL_BYTES)}
        )
    if count > settings.DOSSIER_MAX_FILES:
        errors.append(_("A dossier holds at most %(count)s files.") % {"count": settings.DOSSIER_MAX_FILES})
    if errors:
        raise ValidationError(errors)
    return checked
