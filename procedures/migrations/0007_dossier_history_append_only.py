"""PostgreSQL: the dossier history is append-only — UPDATE and DELETE of a row raise.

The ORM model refuses both too (DossierHistory.save/delete); this trigger also stops raw SQL and bulk
queryset calls. TRUNCATE (test teardown, `flush`) is a table operation and is not affected.
"""

from django.db import migrations

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION procedures_dossierhistory_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'dossier history is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER dossierhistory_append_only
  BEFORE UPDATE OR DELETE ON procedures_dossierhistory
  FOR EACH ROW EXECUTE FUNCTION procedures_dossierhistory_append_only();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS dossierhistory_append_only ON procedures_dossierhistory;
DROP FUNCTION IF EXISTS procedures_dossierhistory_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # no params: the "%" in RAISE stays as it is
            cursor.execute(TRIGGER_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0006_dossiers")]

    operations = [migrations.RunPython(forwards, backwards)]
