"""The ratings' day figures (procedures.models.RatingDayFigure), kept current by statement-level triggers.

PostgreSQL only, in the style of 0018: one AFTER … FOR EACH STATEMENT trigger with transition tables per event adds
the new rows' contributions and subtracts the old ones, grouped and in key order, only when a counted column
(unit, rated_at's local day, level) changed. The existing ratings are counted once here."""

import django.db.models.deletion
from django.db import migrations, models



TZ = "Asia/Ho_Chi_Minh"  # settings.TIME_ZONE: a day is a local calendar day, as everywhere on the dashboards


def contributions(rows: str, sign: str) -> str:
    return f"""SELECT unit_id, (rated_at AT TIME ZONE '{TZ}')::date AS day, level, {sign} AS delta FROM {rows} r"""


def apply(parts: str) -> str:
    return f"""
    INSERT INTO procedures_ratingdayfigure AS s (unit_id, day, level, n)
    SELECT unit_id, day, level, sum(delta) FROM ({parts}) c
     GROUP BY unit_id, day, level
    HAVING sum(delta) <> 0
     ORDER BY unit_id, day, level
    ON CONFLICT (unit_id, day, level) DO UPDATE SET n = s.n + EXCLUDED.n"""


def function(name: str, body: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {body}; RETURN NULL; END $$;"""


CHANGED = """(SELECT o.* FROM {side} o JOIN {other} x ON x.id = o.id
  WHERE (o.unit_id, o.rated_at, o.level) IS DISTINCT FROM (x.unit_id, x.rated_at, x.level))"""

FORWARD = [
    function("rating_day_figures_insert", apply(contributions("new_rows", "1"))),
    function(
        "rating_day_figures_update",
        apply(
            contributions(CHANGED.format(side="new_rows", other="old_rows"), "1")
            + " UNION ALL "
            + contributions(CHANGED.format(side="old_rows", other="new_rows"), "-1")
        ),
    ),
    function("rating_day_figures_delete", apply(contributions("old_rows", "-1"))),
    "LOCK TABLE procedures_rating IN SHARE MODE",  # no write slips between the backfill and the triggers
    """CREATE TRIGGER rating_day_figures_insert AFTER INSERT ON procedures_rating
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rating_day_figures_insert()""",
    """CREATE TRIGGER rating_day_figures_update AFTER UPDATE ON procedures_rating
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
       EXECUTE FUNCTION rating_day_figures_update()""",
    """CREATE TRIGGER rating_day_figures_delete AFTER DELETE ON procedures_rating
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rating_day_figures_delete()""",
    "DELETE FROM procedures_ratingdayfigure",
    apply(contributions("procedures_rating", "1")),
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS rating_day_figures_insert ON procedures_rating",
    "DROP TRIGGER IF EXISTS rating_day_figures_update ON procedures_rating",
    "DROP TRIGGER IF EXISTS rating_day_figures_delete ON procedures_rating",
    "DROP FUNCTION IF EXISTS rating_day_figures_insert()",
    "DROP FUNCTION IF EXISTS rating_day_figures_update()",
    "DROP FUNCTION IF EXISTS rating_day_figures_delete()",
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

    dependencies = [
        ('procedures', '0019_feedback_counter_notices_events'),
        ('units', '0004_remove_hand_entered_tet_saturdays'),
    ]

    operations = [
        migrations.CreateModel(
            name='RatingDayFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('level', models.CharField(max_length=20)),
                ('n', models.BigIntegerField(default=0)),
                ('unit', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='units.unit')),
            ],
        ),
        # Its own operation (not CreateModel's, which defers it past RunPython): the triggers' ON CONFLICT target.
        migrations.AddConstraint(
            model_name='ratingdayfigure',
            constraint=models.UniqueConstraint(fields=('unit', 'day', 'level'), include=('n',), name='ratingdayfigure_one_row_per_key'),
        ),
        migrations.RunPython(forward, backward),
    ]
