"""Bring a running portal's copy of the shipped catalogue in line with the national procedure records.

The shipped catalogue (procedures/data/procedures.json) was corrected in 11/2026 against the national
portal's records (see the README, "Shipped data"): some codes were wrong or provisional, so rows that
already exist in a running portal must be *renamed*, not duplicated. This runs after every
``migrate`` (post_migrate) and from ``seed_demo``:

1. renames: each old row, recognised by its old code *and* a word of its name, takes its national code
   (in place, so its id, history and any dossiers stay attached); two rows that swap codes pass through
   a temporary code inside the same transaction;
2. re-import of the shipped file, matched by code (unchanged rows are not re-saved), which corrects the
   deadlines, names, fees and sources, deactivates the abolished procedure and adds the missing ones.

Both steps record CORRECTION_REASON in django-simple-history with no user. It runs once: when a history
row with that reason exists the corrections have been applied and later local edits are left alone. A
database holding none of the old codes (a fresh install, which loads the corrected file through
``seed_demo``, or a portal that never loaded the shipped file) is not touched either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from procedures.domain.text import fold
from procedures.models import Procedure
from procedures.services.catalogue import procedure_save
from procedures.services.catalogue_import import SHIPPED_CATALOGUE, ImportReport, import_catalogue

CORRECTION_REASON = "Đối chiếu CSDL quốc gia về TTHC, 11/2026"


@dataclass(frozen=True)
class Rename:
    """A shipped row whose code was wrong: matched by the old code and a folded word of its old name."""

    old_code: str
    name_contains: str
    new_code: str


RENAMES = [
    Rename("1.000593", "khai sinh ket hop", "1.000689"),  # 1.000593 is Đăng ký kết hôn lưu động
    Rename("2.001016", "phan chia di san", "2.001406"),  # the two inheritance codes were swapped
    Rename("2.001406", "tu choi nhan di san", "2.001016"),
    Rename("LC.CT-01", "thuong tru", "1.004222"),
    Rename("LC.CT-02", "tam tru", "1.004194"),
    Rename("LC.CT-03", "gia han tam tru", "1.002755"),
    Rename("LC.CT-04", "xoa dang ky thuong tru", "1.003197"),
    Rename("LC.CT-05", "tach ho", "1.010038"),
    Rename("LC.CT-06", "tam vang", "1.003677"),
    Rename("LC.CT-07", "dieu chinh thong tin", "1.010039"),
    Rename("LC.BTXH-01", "mai tang", "1.001731"),
]


@dataclass
class CorrectionReport:
    renamed: dict[str, str] = field(default_factory=dict)
    retired: dict[str, str] = field(default_factory=dict)
    imported: ImportReport | None = None
    skipped: str = ""


def corrections_applied() -> bool:
    return Procedure.history.filter(history_change_reason=CORRECTION_REASON).exists()


def _rename_candidates() -> list[tuple[Procedure, str]]:
    """The rows of the old shipped catalogue still under a wrong code: (procedure, its national code)."""
    by_code = {p.code: p for p in Procedure.objects.filter(code__in=[r.old_code for r in RENAMES])}
    return [
        (by_code[r.old_code], r.new_code)
        for r in RENAMES
        if r.old_code in by_code and r.name_contains in fold(by_code[r.old_code].name)
    ]


def _apply_renames(pending: list[tuple[Procedure, str]], report: CorrectionReport, reason: str) -> None:
    moving = {procedure.code for procedure, _new in pending}
    renaming = []
    for procedure, new_code in pending:
        if new_code not in moving and Procedure.objects.filter(code=new_code).exists():
            # The national code was added separately: keep that row, retire the provisional one.
            procedure.is_active = False
            procedure.source_note = f"Replaced by {new_code} ({reason}). {procedure.source_note}".strip()
            procedure_save(procedure=procedure, reason=reason)
            report.retired[procedure.code] = new_code
        else:
            renaming.append((procedure, new_code))
    # A temporary code first, so two rows may swap codes under the unique constraint; no history row for it.
    for procedure, _new in renaming:
        Procedure.objects.filter(pk=procedure.pk).update(code=f"renaming-{procedure.pk}")
    for procedure, new_code in renaming:
        report.renamed[procedure.code] = new_code
        procedure.code = new_code
        procedure_save(procedure=procedure, reason=reason)


@transaction.atomic
def apply_catalogue_corrections(*, reason: str = CORRECTION_REASON, force: bool = False) -> CorrectionReport:
    """Rename the old codes and re-import the corrected shipped catalogue, once per database."""
    report = CorrectionReport()
    if not force and corrections_applied():
        report.skipped = "already applied"
        return report
    pending = _rename_candidates()
    if not pending and not force:
        # A fresh install loads the corrected file itself; a portal that never loaded the shipped file
        # has nothing of it to correct.
        report.skipped = "nothing to correct"
        return report
    _apply_renames(pending, report, reason)
    report.imported = import_catalogue(SHIPPED_CATALOGUE.read_bytes(), fmt="json", reason=reason)
    if not report.imported.ok:
        raise ValidationError([str(e) for e in report.imported.errors])
    return report


def on_post_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, verbosity=1, **kwargs) -> None:
    """post_migrate receiver: apply the corrections once the schema is fully migrated.

    ``flush`` (tests) sends post_migrate without a plan: nothing to correct in an emptied database.
    A partial ``migrate app 00xx`` leaves the models ahead of the schema, so it waits for a full one.
    """
    if plan is None or using != DEFAULT_DB_ALIAS:
        return
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    report = apply_catalogue_corrections()
    if verbosity and not report.skipped:
        renamed = len(report.renamed)
        print(f"  Catalogue corrected ({CORRECTION_REASON}): {renamed} codes renamed, {report.imported.summary()}.")
