"""The dashboards' day figures (procedures.models.DossierDayFigure), kept current by statement-level triggers.

PostgreSQL only (SQLite, for make run, has no transition tables: the dashboards count dossiers directly there).
Three AFTER … FOR EACH STATEMENT triggers with transition tables — one per event, as PostgreSQL requires — add the
new rows' contributions and subtract the old ones, grouped, in key order (so two statements lock summary rows in
the same order), and only when a counted column changed: a deadline-sweep flag or a version bump writes nothing.
COPY fires them too, so bulk loads (the generator) stay consistent. The existing dossiers are counted once here.

Digitised (Dossier.documents_on_file: at least one document, every one a file): three statement triggers on the
documents recompute the flag of the dossiers a statement touched; the flag's change is an UPDATE of the dossier,
which moves the day figures like any other.
"""

from django.db import migrations

TZ = "Asia/Ho_Chi_Minh"  # settings.TIME_ZONE: a day is a local calendar day, as everywhere on the dashboards


def contributions(rows: str, sign: str) -> str:
    """A dossier's rows in the summary: received on its local receipt day (with the catalogue's online offer then);
    finished on its local finishing day, by timeliness."""
    return f"""
    SELECT r.unit_id, (r.received_at AT TIME ZONE '{TZ}')::date AS day, 'received' AS kind,
           p.online_level IN ('full', 'partial') AS offered_online, r.channel, r.arrived_at IS NOT NULL AS fast,
           {sign} AS delta
      FROM {rows} r JOIN procedures_procedure p ON p.id = r.procedure_id WHERE r.received_at IS NOT NULL
    UNION ALL
    SELECT unit_id, (received_at AT TIME ZONE '{TZ}')::date, 'digitised', false, '', false, {sign}
      FROM {rows} g WHERE received_at IS NOT NULL AND documents_on_file
    UNION ALL
    SELECT unit_id, (finished_at AT TIME ZONE '{TZ}')::date, timeliness, false, '', false, {sign}
      FROM {rows} f WHERE finished_at IS NOT NULL"""


def apply(parts: str) -> str:
    return f"""
    INSERT INTO procedures_dossierdayfigure AS s (unit_id, day, kind, offered_online, channel, fast, n)
    SELECT unit_id, day, kind, offered_online, channel, fast, sum(delta) FROM ({parts}) c
     GROUP BY unit_id, day, kind, offered_online, channel, fast
    HAVING sum(delta) <> 0
     ORDER BY unit_id, day, kind, offered_online, channel, fast
    ON CONFLICT (unit_id, day, kind, offered_online, channel, fast) DO UPDATE SET n = s.n + EXCLUDED.n"""


def function(name: str, body: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {body}; RETURN NULL; END $$;"""


# An UPDATE touches the summary only through rows whose counted columns changed.
CHANGED = """(SELECT o.* FROM {side} o JOIN {other} x ON x.id = o.id
  WHERE (o.unit_id, o.procedure_id, o.channel, o.received_at, o.arrived_at IS NULL, o.finished_at, o.timeliness,
         o.documents_on_file)
        IS DISTINCT FROM
        (x.unit_id, x.procedure_id, x.channel, x.received_at, x.arrived_at IS NULL, x.finished_at, x.timeliness,
         x.documents_on_file))"""

ON_FILE = """EXISTS (SELECT 1 FROM procedures_dossierdocument x WHERE x.dossier_id = a.id)
  AND NOT EXISTS (SELECT 1 FROM procedures_dossierdocument x WHERE x.dossier_id = a.id AND x.file = '')"""


def on_file(rows: str) -> str:
    """Recompute documents_on_file of the dossiers whose documents the statement wrote (only where it changes)."""
    return f"""
    UPDATE procedures_dossier d SET documents_on_file = a.on_file
      FROM (SELECT a.id, {ON_FILE} AS on_file FROM (SELECT DISTINCT dossier_id AS id FROM {rows}) a) a
     WHERE d.id = a.id AND d.documents_on_file IS DISTINCT FROM a.on_file"""

TRIGGERS = [
    """CREATE TRIGGER dossier_day_figures_insert AFTER INSERT ON procedures_dossier
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dossier_day_figures_insert()""",
    """CREATE TRIGGER dossier_day_figures_update AFTER UPDATE ON procedures_dossier
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
       EXECUTE FUNCTION dossier_day_figures_update()""",
    """CREATE TRIGGER dossier_day_figures_delete AFTER DELETE ON procedures_dossier
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dossier_day_figures_delete()""",
    """CREATE TRIGGER dossier_documents_on_file_insert AFTER INSERT ON procedures_dossierdocument
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dossier_documents_on_file_insert()""",
    """CREATE TRIGGER dossier_documents_on_file_update AFTER UPDATE ON procedures_dossierdocument
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
       EXECUTE FUNCTION dossier_documents_on_file_update()""",
    """CREATE TRIGGER dossier_documents_on_file_delete AFTER DELETE ON procedures_dossierdocument
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dossier_documents_on_file_delete()""",
]
FORWARD = [
    function("dossier_day_figures_insert", apply(contributions("new_rows", "1"))),
    function(
        "dossier_day_figures_update",
        apply(
            contributions(CHANGED.format(side="new_rows", other="old_rows"), "1")
            + " UNION ALL "
            + contributions(CHANGED.format(side="old_rows", other="new_rows"), "-1")
        ),
    ),
    function("dossier_day_figures_delete", apply(contributions("old_rows", "-1"))),
    function("dossier_documents_on_file_insert", on_file("new_rows")),
    function(
        "dossier_documents_on_file_update",
        on_file("(SELECT dossier_id FROM new_rows UNION SELECT dossier_id FROM old_rows) u"),
    ),
    function("dossier_documents_on_file_delete", on_file("old_rows")),
    # No write slips between the backfill and the triggers.
    "LOCK TABLE procedures_dossier, procedures_dossierdocument IN SHARE MODE",
    # The existing dossiers' flag first (before any trigger: the figures are rebuilt from scratch below).
    on_file("procedures_dossierdocument"),
    *TRIGGERS,
    "DELETE FROM procedures_dossierdayfigure",
    apply(contributions("procedures_dossier", "1")),
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS dossier_documents_on_file_insert ON procedures_dossierdocument",
    "DROP TRIGGER IF EXISTS dossier_documents_on_file_update ON procedures_dossierdocument",
    "DROP TRIGGER IF EXISTS dossier_documents_on_file_delete ON procedures_dossierdocument",
    "DROP FUNCTION IF EXISTS dossier_documents_on_file_insert()",
    "DROP FUNCTION IF EXISTS dossier_documents_on_file_update()",
    "DROP FUNCTION IF EXISTS dossier_documents_on_file_delete()",
    "DROP TRIGGER IF EXISTS dossier_day_figures_insert ON procedures_dossier",
    "DROP TRIGGER IF EXISTS dossier_day_figures_update ON procedures_dossier",
    "DROP TRIGGER IF EXISTS dossier_day_figures_delete ON procedures_dossier",
    "DROP FUNCTION IF EXISTS dossier_day_figures_insert()",
    "DROP FUNCTION IF EXISTS dossier_day_figures_update()",
    "DROP FUNCTION IF EXISTS dossier_day_figures_delete()",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0017_dossier_day_figures")]

    operations = [migrations.RunPython(forward, backward)]
