"""The dashboards' day figures (procedures.models.DossierDayFigure), kept current by statement-level triggers.

PostgreSQL only (SQLite, for make run, has no transition tables: the dashboards count dossiers directly there).
Three AFTER … FOR EACH STATEMENT triggers with transition tables — one per event, as PostgreSQL requires — add the
new rows' contributions and subtract the old ones, grouped, in key order (so two statements lock summary rows in
the same order), and only when a counted column changed: a deadline-sweep flag or a version bump writes nothing.
COPY fires them too, so bulk loads (the generator) stay consistent. The existing dossiers are counted once here.
"""

from django.db import migrations

TZ = "Asia/Ho_Chi_Minh"  # settings.TIME_ZONE: a day is a local calendar day, as everywhere on the dashboards


def contributions(rows: str, sign: str) -> str:
    """A dossier's rows in the summary: received on its local receipt day; finished on its local finishing day."""
    return f"""
    SELECT unit_id, (received_at AT TIME ZONE '{TZ}')::date AS day, 'received' AS kind, procedure_id,
           channel, arrived_at IS NOT NULL AS fast, {sign} AS delta
      FROM {rows} WHERE received_at IS NOT NULL
    UNION ALL
    SELECT unit_id, (finished_at AT TIME ZONE '{TZ}')::date, timeliness, procedure_id, '', false, {sign}
      FROM {rows} WHERE finished_at IS NOT NULL"""


def apply(parts: str) -> str:
    return f"""
    INSERT INTO procedures_dossierdayfigure AS f (unit_id, day, kind, procedure_id, channel, fast, n)
    SELECT unit_id, day, kind, procedure_id, channel, fast, sum(delta) FROM ({parts}) c
     GROUP BY unit_id, day, kind, procedure_id, channel, fast
    HAVING sum(delta) <> 0
     ORDER BY unit_id, day, kind, procedure_id, channel, fast
    ON CONFLICT (unit_id, day, kind, procedure_id, channel, fast) DO UPDATE SET n = f.n + EXCLUDED.n"""


def function(name: str, body: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {body}; RETURN NULL; END $$;"""


# An UPDATE touches the summary only through rows whose counted columns changed.
CHANGED = """(SELECT o.* FROM {side} o JOIN {other} x ON x.id = o.id
  WHERE (o.unit_id, o.procedure_id, o.channel, o.received_at, o.arrived_at IS NULL, o.finished_at, o.timeliness)
        IS DISTINCT FROM
        (x.unit_id, x.procedure_id, x.channel, x.received_at, x.arrived_at IS NULL, x.finished_at, x.timeliness))"""

FORWARD = [
    function("dossier_day_figures_insert", apply(contributions("new_rows", "1"))),
    function(
        "dossier_day_figures_update",
        apply(
            contributions(CHANGED.format(side="new_rows", other="old_rows") + " AS n_", "1")
            + " UNION ALL "
            + contributions(CHANGED.format(side="old_rows", other="new_rows") + " AS o_", "-1")
        ),
    ),
    function("dossier_day_figures_delete", apply(contributions("old_rows", "-1"))),
    """CREATE TRIGGER dossier_day_figures_insert AFTER INSERT ON procedures_dossier
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dossier_day_figures_insert()""",
    """CREATE TRIGGER dossier_day_figures_update AFTER UPDATE ON procedures_dossier
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
       EXECUTE FUNCTION dossier_day_figures_update()""",
    """CREATE TRIGGER dossier_day_figures_delete AFTER DELETE ON procedures_dossier
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dossier_day_figures_delete()""",
    "LOCK TABLE procedures_dossier IN SHARE MODE",  # no write slips between the backfill and the triggers
    "DELETE FROM procedures_dossierdayfigure",
    apply(contributions("procedures_dossier", "1")),
]
BACKWARD = [
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
    dependencies = [("procedures", "0017_h33_dossier_day_figures")]

    operations = [migrations.RunPython(forward, backward)]
