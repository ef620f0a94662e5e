"""The people app's own table name and constraint name."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("surveys", "0004_person_moves_to_people"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="person", name="surveys_person_unique_email"),
        migrations.AlterModelTable(name="person", table=None),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                models.F("organisation"),
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("email", ""), _negated=True),
                name="people_person_unique_email",
            ),
        ),
    ]
