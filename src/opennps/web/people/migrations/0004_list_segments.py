"""List segments and their members (the Autopilot of the Delighted-compatible API)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_two_factor_login_attempts_retention"),
        ("people", "0003_segments_time_zone"),
    ]

    operations = [
        migrations.CreateModel(
            name="SegmentMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "properties",
                    models.JSONField(blank=True, default=dict, verbose_name="properties"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "segment member",
                "verbose_name_plural": "segment members",
            },
        ),
        migrations.AddField(
            model_name="segment",
            name="kind",
            field=models.CharField(
                choices=[("rules", "Conditions on people"), ("list", "A list of people")],
                default="rules",
                max_length=8,
                verbose_name="kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="segment",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["rules", "list"])),
                name="people_segment_kind_valid",
            ),
        ),
        migrations.AddField(
            model_name="segmentmember",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="segment_memberships",
                to="people.person",
            ),
        ),
        migrations.AddField(
            model_name="segmentmember",
            name="segment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="members",
                to="people.segment",
            ),
        ),
        migrations.AddConstraint(
            model_name="segmentmember",
            constraint=models.UniqueConstraint(
                fields=("segment", "person"), name="people_segmentmember_once"
            ),
        ),
    ]
