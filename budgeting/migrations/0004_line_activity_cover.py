from django.db import migrations, models

from binjai_portal.core.indexes import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY: the lines stay writable while it builds

    dependencies = [
        ("budgeting", "0003_english_state_codes"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="line",
            index=models.Index(
                fields=["activity"], include=["total", "standard"], name="line_activity_cover"
            ),
        ),
    ]
