"""The dashboards' day figures table (procedures.models.DossierDayFigure); its triggers are in 0018."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('procedures', '0016_h33_dashboard_indexes'),
        ('units', '0004_remove_hand_entered_tet_saturdays'),
    ]

    operations = [
        migrations.CreateModel(
            name='DossierDayFigure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('kind', models.CharField(choices=[('received', 'received'), ('early', 'early'), ('on_time', 'on time'), ('late', 'late')], max_length=10)),
                ('offered_online', models.BooleanField(default=False)),
                ('channel', models.CharField(blank=True, max_length=10)),
                ('fast', models.BooleanField(default=False)),
                ('n', models.BigIntegerField(default=0)),
                ('unit', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='units.unit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('unit', 'day', 'kind', 'offered_online', 'channel', 'fast'), include=('n',), name='dossierdayfigure_one_row_per_key')],
            },
        ),
    ]
