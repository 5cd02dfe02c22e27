"""The orphan-upload sweep on real files: an old orphan goes, a young orphan and a referenced file stay."""

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from portal.celery import app
from procedures.services.uploads_sweep import orphan_uploads_sweep
from procedures.tasks import sweep_orphan_uploads


def make_file(root: Path, name: str, *, age_hours: float) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    then = time.time() - age_hours * 3600
    os.utime(path, (then, then))
    return path


@pytest.fixture
def files(world, settings):
    """One referenced file (made old), an old orphan, a young orphan, under the tmp MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT)
    dossier = world.submit()
    referenced = root / dossier.documents.get().file.name
    then = time.time() - 48 * 3600
    os.utime(referenced, (then, then))
    old = make_file(root, "dossiers/2026/01/0123456789abcdef0123456789abcdef.pdf", age_hours=25)
    young = make_file(root, "dossiers/2026/11/fedcba9876543210fedcba9876543210.png", age_hours=23)
    return referenced, old, young


def test_old_orphan_deleted_young_orphan_and_referenced_file_kept(files):
    referenced, old, young = files
    result = orphan_uploads_sweep()
    assert not old.exists()
    assert young.exists() and referenced.exists()
    assert result.orphans == ["dossiers/2026/01/0123456789abcdef0123456789abcdef.pdf"]
    assert (result.kept_young, result.referenced) == (1, 1)
    # Running it again finds nothing more.
    assert orphan_uploads_sweep().orphans == []


def test_grace_period_is_a_setting(files, settings):
    settings.DOSSIER_ORPHAN_GRACE_HOURS = 12
    referenced, old, young = files
    orphan_uploads_sweep()
    assert not old.exists() and not young.exists()
    assert referenced.exists()


def test_dry_run_lists_and_deletes_nothing(files):
    referenced, old, young = files
    out = StringIO()
    call_command("sweep_orphan_uploads", "--dry-run", stdout=out)
    assert old.exists() and young.exists() and referenced.exists()
    assert "would delete dossiers/2026/01/0123456789abcdef0123456789abcdef.pdf" in out.getvalue()
    assert "Would delete 1 orphan file(s); kept 1 younger than 24 h and 1 referenced." in out.getvalue()


def test_command_deletes(files):
    referenced, old, young = files
    out = StringIO()
    call_command("sweep_orphan_uploads", stdout=out)
    assert not old.exists() and young.exists() and referenced.exists()
    assert "Deleted 1 orphan file(s)" in out.getvalue()


def test_no_upload_folder_yet(world):
    assert orphan_uploads_sweep().orphans == []


def test_task_runs_the_sweep_and_is_scheduled_once(files):
    referenced, old, young = files
    assert sweep_orphan_uploads() == 1
    assert not old.exists() and referenced.exists()
    tasks = [entry["task"] for entry in app.conf.beat_schedule.values()]
    assert tasks.count("procedures.tasks.sweep_orphan_uploads") == 1
