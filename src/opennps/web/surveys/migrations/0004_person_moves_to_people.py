"""Person now lives in the people app: the foreign keys point there (no table changes)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("surveys", "0003_open_link_use"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="surveyrequest",
                    name="person",
                    field=models.ForeignKey(
                        blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                        related_name="requests", to="people.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="response",
                    name="person",
                    field=models.ForeignKey(
                        blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                        related_name="responses", to="people.person",
                    ),
                ),
                migrations.DeleteModel(name="Person"),
            ],
        ),
    ]
