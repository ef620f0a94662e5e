"""The scheduler's periodic jobs and the workers' heartbeats."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="ScheduledJob",
            fields=[
                (
                    "name",
                    models.CharField(
                        max_length=100, primary_key=True, serialize=False, verbose_name="name"
                    ),
                ),
                ("next_run_at", models.DateTimeField(verbose_name="next run")),
                (
                    "last_run_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last run"),
                ),
            ],
            options={
                "verbose_name": "scheduled job",
                "verbose_name_plural": "scheduled jobs",
            },
        ),
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                (
                    "worker_id",
                    models.CharField(
                        max_length=64, primary_key=True, serialize=False, verbose_name="worker"
                    ),
                ),
                ("hostname", models.CharField(blank=True, max_length=255, verbose_name="host")),
                ("pid", models.IntegerField(verbose_name="process id")),
                ("started_at", models.DateTimeField(verbose_name="started")),
                ("seen_at", models.DateTimeField(db_index=True, verbose_name="last seen")),
            ],
            options={
                "verbose_name": "worker",
                "verbose_name_plural": "workers",
            },
        ),
    ]
