"""The follow-up app's own table name for notes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("surveys", "0005_note_moves_widget_channel"),
    ]

    operations = [migrations.AlterModelTable(name="note", table=None)]
