"""Person moves from the surveys app to its own app; the table stays as it is here."""

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("surveys", "0003_open_link_use"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Person",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "email",
                            models.EmailField(blank=True, max_length=254, verbose_name="email"),
                        ),
                        (
                            "phone_number",
                            models.CharField(
                                blank=True, max_length=32, verbose_name="phone number"
                            ),
                        ),
                        ("name", models.CharField(blank=True, max_length=255, verbose_name="name")),
                        (
                            "language",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("en", "English"),
                                    ("pl", "Polish"),
                                    ("ru", "Russian"),
                                    ("fi", "Finnish"),
                                    ("lt", "Lithuanian"),
                                    ("sv", "Swedish"),
                                ],
                                max_length=8,
                                verbose_name="language",
                            ),
                        ),
                        (
                            "properties",
                            models.JSONField(blank=True, default=dict, verbose_name="properties"),
                        ),
                        (
                            "unsubscribed_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="unsubscribed at"
                            ),
                        ),
                        (
                            "bounced_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="bounced at"),
                        ),
                        (
                            "last_sent_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="last sent at"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="people",
                                to="accounts.organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "person",
                        "verbose_name_plural": "people",
                        "db_table": "surveys_person",
                    },
                ),
                migrations.AddConstraint(
                    model_name="person",
                    constraint=models.UniqueConstraint(
                        models.F("organisation"),
                        django.db.models.functions.text.Lower("email"),
                        condition=models.Q(("email", ""), _negated=True),
                        name="surveys_person_unique_email",
                    ),
                ),
            ],
        ),
    ]
