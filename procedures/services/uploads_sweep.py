"""Delete uploaded dossier files that no DossierDocument row names (orphans).

A submission writes its files first and commits its rows after; a crash in between leaves files that nothing
refers to and nobody may download. They are removed after a grace period (DOSSIER_ORPHAN_GRACE_HOURS), long
enough that a submission still in flight (its transaction not yet committed) is never touched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from procedures.models import DossierDocument

logger = logging.getLogger(__name__)
UPLOAD_DIR = "dossiers"  # the folder procedures.models.dossiers.dossier_file_name writes under
BATCH = 500


@dataclass
class SweepResult:
    orphans: list[str] = field(default_factory=list)  # storage names deleted (or, dry run, to delete)
    kept_young: int = 0  # orphans still inside the grace period
    referenced: int = 0
    dry_run: bool = False


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in dirs:
        yield from _walk(storage, f"{folder}/{sub}")


def _batches(names: Iterator[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for name in names:
        batch.append(name)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def orphan_uploads_sweep(*, dry_run: bool = False, grace: timedelta | None = None, storage=None) -> SweepResult:
    """Delete (or with dry_run only list) orphan upload files older than the grace period; safe to run twice."""
    storage = storage or default_storage
    grace = grace if grace is not None else timedelta(hours=settings.DOSSIER_ORPHAN_GRACE_HOURS)
    cutoff = timezone.now() - grace
    result = SweepResult(dry_run=dry_run)
    for batch in _batches(_walk(storage, UPLOAD_DIR)):
        known = set(DossierDocument.objects.filter(file__in=batch).values_list("file", flat=True))
        for name in batch:
            if name in known:
                result.referenced += 1
                continue
            try:
                modified = storage.get_modified_time(name)
            except FileNotFoundError:  # deleted meanwhile
                continue
            if modified > cutoff:
                result.kept_young += 1
                continue
            # Checked again right before deleting: a row committed since the batch query keeps its file.
            if DossierDocument.objects.filter(file=name).exists():
                result.referenced += 1
                continue
            result.orphans.append(name)
            if not dry_run:
                storage.delete(name)
                logger.info("orphan upload deleted: %s", name)
    return result
