"""Note moves to the follow-up app (no table change); the website widget is a channel."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("people", "0002_person_table"),
        ("surveys", "0004_person_moves_to_people"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Note")]),
        migrations.RemoveConstraint(model_name="response", name="surveys_response_channel_valid"),
        migrations.RemoveConstraint(
            model_name="surveyrequest", name="surveys_request_channel_valid"
        ),
        migrations.AlterField(
            model_name="response",
            name="channel",
            field=models.CharField(
                choices=[
                    ("link", "Personal link"),
                    ("email", "Email"),
                    ("kiosk", "Kiosk"),
                    ("web", "Open link"),
                    ("widget", "Website widget"),
                    ("api", "API"),
                    ("import", "Import"),
                ],
                max_length=8,
                verbose_name="channel",
            ),
        ),
        migrations.AlterField(
            model_name="surveyrequest",
            name="channel",
            field=models.CharField(
                choices=[
                    ("link", "Personal link"),
                    ("email", "Email"),
                    ("kiosk", "Kiosk"),
                    ("web", "Open link"),
                    ("widget", "Website widget"),
                    ("api", "API"),
                    ("import", "Import"),
                ],
                default="link",
                max_length=8,
            ),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("channel__in", ["link", "email", "kiosk", "web", "widget", "api", "import"])
                ),
                name="surveys_response_channel_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="surveyrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("channel__in", ["link", "email", "kiosk", "web", "widget", "api", "import"])
                ),
                name="surveys_request_channel_valid",
            ),
        ),
    ]
