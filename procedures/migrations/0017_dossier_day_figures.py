"""The dashboards' day figures table (procedures.models.DossierDayFigure), the dossiers' documents_on_file flag
and the no-wait index; the triggers are in 0018."""


import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('procedures', '0016_dashboard_indexes'),
        ('units', '0004_remove_hand_entered_tet_saturdays'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DossierDayFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('kind', models.CharField(choices=[('received', 'received'), ('early', 'early'), ('on_time', 'on time'), ('late', 'late'), ('digitised', 'digitised')], max_length=10)),
                ('offered_online', models.BooleanField(default=False)),
                ('channel', models.CharField(blank=True, max_length=10)),
                ('fast', models.BooleanField(default=False)),
                ('n', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name='dossier',
            name='documents_on_file',
            field=models.BooleanField(db_default=False, default=False, editable=False),
        ),
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('arrived_at__isnull', False), ('returned_at__isnull', False)), fields=['unit', 'received_at'], include=('arrived_at', 'returned_at', 'procedure'), name='dossier_dash_no_wait'),
        ),
        migrations.AddField(
            model_name='dossierdayfigure',
            name='unit',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='units.unit'),
        ),
        migrations.AddConstraint(
            model_name='dossierdayfigure',
            constraint=models.UniqueConstraint(fields=('unit', 'day', 'kind', 'offered_online', 'channel', 'fast'), include=('n',), name='dossierdayfigure_one_row_per_key'),
        ),
    ]
