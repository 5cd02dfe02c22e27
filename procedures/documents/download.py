"""Serving a submitted file: the one place that decides how (the API and the citizen's page both call it)."""

from __future__ import annotations

from django.http import FileResponse

from procedures.models import DossierDocument


def dossier_document_response(document: DossierDocument) -> FileResponse:
    """An attachment (never shown inline) under its original, possibly Vietnamese, name, with its checked
    content type and `nosniff`, so a browser never second-guesses what the file is."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
