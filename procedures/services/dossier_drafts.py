"""The online form's review step: uploads checked and kept server-side between "continue" and "submit".

Why server-side and not a review drawn in the browser: the citizen learns that a file is refused *before*
the review (not after pressing submit), the review lists what the portal really holds, it works without
JavaScript, and a phone user never re-picks files after an error on the confirmation.

A draft lives in the default storage under `dossier-drafts/<user id>/<key>/` (DRAFT_ROOT): a manifest and
the checked files under random names. `<key>` is the form's idempotency key (32 hex digits, generated when
the form is rendered), so a draft is reachable only by its owner, under a name nobody can guess or steer
outside that folder, and the final submission carries the same key: a double click is one dossier.
The draft is deleted when the dossier is created; abandoned ones by `dossier_drafts_sweep` (a daily task),
after settings.DOSSIER_DRAFT_TTL.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from procedures.models import Dossier, Procedure, RequiredDocument

from .dossiers import dossier_submission_check, dossier_submit_online

DRAFT_ROOT = "dossier-drafts"
KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")
MANIFEST = "manifest.json"


def new_draft_key() -> str:
    return uuid.uuid4().hex


def is_draft_key(key: str) -> bool:
    return bool(KEY_PATTERN.match(key or ""))


@dataclass(frozen=True)
class DraftFile:
    document_id: int
    original_name: str
    stored_name: str  # storage name, inside the draft's folder
    size: int
    content_type: str


@dataclass(frozen=True)
class Draft:
    key: str
    procedure_id: int
    unit_id: int
    created_at: str  # ISO 8601, UTC
    files: tuple[DraftFile, ...]

    @property
    def total_size(self) -> int:
        return sum(f.size for f in self.files)


def _folder(user, key: str) -> str:
    if not is_draft_key(key):
        raise ValueError("not a draft key")
    return f"{DRAFT_ROOT}/{int(user.pk)}/{key}"


def dossier_draft_discard(*, applicant, key: str) -> None:
    """Delete a draft's files and folder (nothing if it is gone)."""
    if not is_draft_key(key):
        return
    _delete_folder(_folder(applicant, key))


def _delete_folder(folder: str) -> None:
    try:
        _dirs, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        default_storage.delete(f"{folder}/{name}")
    try:
        default_storage.delete(folder)  # FileSystemStorage removes the empty directory
    except OSError:
        pass


def dossier_draft_save(*, applicant, procedure: Procedure, unit, files, key: str) -> Draft:
    """Run every check of the submission (procedures.services.dossiers.dossier_submission_check) and keep
    the accepted files; ValidationError / PermissionDenied as the submission would raise, nothing kept."""
    folder = _folder(applicant, key)
    uploads = dossier_submission_check(applicant=applicant, procedure=procedure, unit=unit, files=files)
    dossier_draft_discard(applicant=applicant, key=key)  # a second "continue" replaces the first draft
    kept: list[DraftFile] = []
    for index, upload in enumerate(uploads):
        suffix = PurePosixPath(upload.original_name).suffix.lower()[:5]
        upload.file.seek(0)
        stored = default_storage.save(f"{folder}/{index:02d}-{uuid.uuid4().hex}{suffix}", upload.file)
        kept.append(
            DraftFile(upload.required_document.pk, upload.original_name, stored, upload.size, upload.content_type)
        )
    draft = Draft(key, procedure.pk, unit.pk, timezone.now().isoformat(), tuple(kept))
    manifest = json.dumps({**asdict(draft), "files": [asdict(f) for f in kept]}, ensure_ascii=False)
    default_storage.save(f"{folder}/{MANIFEST}", ContentFile(manifest.encode()))
    return draft


def dossier_draft_get(*, applicant, key: str) -> Draft | None:
    """The applicant's draft under `key`, or None (unknown, someone else's, expired or unreadable)."""
    if not is_draft_key(key):
        return None
    name = f"{_folder(applicant, key)}/{MANIFEST}"
    try:
        with default_storage.open(name, "rb") as handle:
            data = json.loads(handle.read().decode())
        draft = Draft(
            key=data["key"],
            procedure_id=int(data["procedure_id"]),
            unit_id=int(data["unit_id"]),
            created_at=data["created_at"],
            files=tuple(DraftFile(**f) for f in data["files"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if draft.key != key or _expired(draft.created_at, timezone.now()):
        return None
    return draft


def _expired(created_at: str, now: datetime) -> bool:
    return datetime.fromisoformat(created_at) < now - settings.DOSSIER_DRAFT_TTL


def dossier_draft_submit(*, applicant, key: str, procedure: Procedure, unit) -> Dossier:
    """Submit the draft as a dossier with the draft's key as its idempotency key, then delete the draft.

    A repeated submit (double click, reload) after the draft is gone returns the dossier the first one
    created: dossier_submit_online answers a known key before looking at files. With neither a draft nor
    a dossier, the missing mandatory documents raise ValidationError ("start again")."""
    draft = dossier_draft_get(applicant=applicant, key=key)
    handles = []
    pairs = []
    try:
        if draft is not None:
            documents = RequiredDocument.objects.in_bulk([f.document_id for f in draft.files])
            for item in draft.files:
                handle = default_storage.open(item.stored_name, "rb")
                handles.append(handle)
                pairs.append((documents[item.document_id], File(handle, name=item.original_name)))
        dossier = dossier_submit_online(
            applicant=applicant, procedure=procedure, unit=unit, files=pairs, idempotency_key=key
        )
    finally:
        for handle in handles:
            handle.close()
    dossier_draft_discard(applicant=applicant, key=key)
    return dossier


def dossier_drafts_sweep(*, now: datetime | None = None) -> int:
    """Delete drafts older than settings.DOSSIER_DRAFT_TTL (by their manifest, or by the files' age when
    the manifest is missing); safe to run twice. Returns how many drafts were deleted."""
    now = now or timezone.now()
    deleted = 0
    try:
        users, _files = default_storage.listdir(DRAFT_ROOT)
    except FileNotFoundError:
        return 0
    for user_folder in users:
        base = f"{DRAFT_ROOT}/{user_folder}"
        keys, _loose = default_storage.listdir(base)
        for key in keys:
            folder = f"{base}/{key}"
            if _folder_expired(folder, now):
                _delete_folder(folder)
                deleted += 1
        dirs, names = default_storage.listdir(base)
        if not dirs and not names:
            _delete_folder(base)
    return deleted


def _folder_expired(folder: str, now: datetime) -> bool:
    try:
        with default_storage.open(f"{folder}/{MANIFEST}", "rb") as handle:
            return _expired(json.loads(handle.read().decode())["created_at"], now)
    except (OSError, ValueError, KeyError, TypeError):
        _dirs, names = default_storage.listdir(folder)
        times = [default_storage.get_modified_time(f"{folder}/{n}") for n in names]
        return not times or max(times) < now - settings.DOSSIER_DRAFT_TTL
