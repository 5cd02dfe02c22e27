"""PostgreSQL-only extras for the catalogue; SQLite (`make run`) gets neither and needs neither.

1. A trigram GIN index on the folded search column, so `LIKE '%term%'` stays fast on large catalogues.
   pg_trgm is a trusted extension (PostgreSQL ≥ 13): a database owner may create it. If it cannot be
   created the index is skipped (search still works, only slower) rather than failing the deploy.
2. A deferred constraint trigger for the rule a CHECK cannot express because it spans rows: the
   allotments of a procedure's process steps add up to no more than its statutory deadline
   (a working day = 480 working minutes, a same-day deadline = one working day). Deferred, so a
   transaction may change the deadline and the steps together; checked at commit. The services,
   admin formset and importer enforce the same rule first, with friendly messages.
"""

from django.db import migrations, transaction

TRIGRAM_INDEX = "CREATE INDEX IF NOT EXISTS procedure_search_trgm ON procedures_procedure USING gin (search_text gin_trgm_ops)"

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION procedures_check_step_allotments() RETURNS trigger AS $$
DECLARE
  pid bigint;
  total bigint;
  limit_minutes bigint;
BEGIN
  IF TG_TABLE_NAME = 'procedures_procedure' THEN
    pid := NEW.id;
  ELSE
    pid := NEW.procedure_id;
  END IF;
  SELECT CASE deadline_unit WHEN 'working_hours' THEN deadline_amount * 60
                            WHEN 'same_day_cutoff' THEN 480
                            ELSE deadline_amount * 480 END
    INTO limit_minutes FROM procedures_procedure WHERE id = pid;
  IF limit_minutes IS NULL THEN
    RETURN NULL;  -- the procedure was deleted later in the same transaction
  END IF;
  SELECT COALESCE(SUM(allotment_minutes), 0) INTO total FROM procedures_processstep WHERE procedure_id = pid;
  IF total > limit_minutes THEN
    RAISE EXCEPTION 'process steps of procedure % add up to % working minutes, more than its statutory deadline of % minutes',
      pid, total, limit_minutes USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER processstep_allotments_within_deadline
  AFTER INSERT OR UPDATE ON procedures_processstep
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION procedures_check_step_allotments();

CREATE CONSTRAINT TRIGGER procedure_deadline_covers_steps
  AFTER UPDATE OF deadline_amount, deadline_unit ON procedures_procedure
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION procedures_check_step_allotments();
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS processstep_allotments_within_deadline ON procedures_processstep;
DROP TRIGGER IF EXISTS procedure_deadline_covers_steps ON procedures_procedure;
DROP FUNCTION IF EXISTS procedures_check_step_allotments();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute(TRIGRAM_INDEX)
        except Exception as exc:  # noqa: BLE001 — an optional speed-up must not block a deploy
            print(f"\n  pg_trgm unavailable, catalogue search runs without a trigram index: {exc}")
        cursor.execute(TRIGGER_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP_TRIGGER_SQL)
        cursor.execute("DROP INDEX IF EXISTS procedure_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("procedures", "0002_catalogue")]

    operations = [migrations.RunPython(forwards, backwards)]
