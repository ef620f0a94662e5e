"""API keys and their rate-limit windows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("surveys", "0005_note_moves_widget_channel"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "scope",
                    models.CharField(
                        choices=[("read", "Read"), ("write", "Read and write")],
                        default="read",
                        max_length=8,
                        verbose_name="scope",
                    ),
                ),
                ("prefix", models.CharField(db_index=True, max_length=16)),
                ("digest", models.CharField(max_length=64, unique=True)),
                (
                    "requests_per_minute",
                    models.PositiveIntegerField(default=600, verbose_name="requests per minute"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last used"),
                ),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_keys",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "survey",
                    models.ForeignKey(
                        blank=True,
                        help_text="The survey the Delighted-compatible API works on (people are sent it, responses and metrics are its). Leave empty for a native-API key that reaches every survey.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_keys",
                        to="surveys.survey",
                        verbose_name="survey",
                    ),
                ),
            ],
            options={
                "verbose_name": "API key",
                "verbose_name_plural": "API keys",
            },
        ),
        migrations.CreateModel(
            name="RateWindow",
            fields=[
                (
                    "key",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="rate_window",
                        serialize=False,
                        to="api.apikey",
                    ),
                ),
                ("started", models.DateTimeField()),
                ("count", models.IntegerField()),
            ],
        ),
        migrations.AddConstraint(
            model_name="apikey",
            constraint=models.CheckConstraint(
                condition=models.Q(("scope__in", ["read", "write"])), name="api_apikey_scope_valid"
            ),
        ),
    ]
