from django.db import migrations, models

from binjai_portal.core.indexes import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY: applications stay writable while it builds

    dependencies = [
        ("perizinan", "0007_reminders_as_core_once"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    (
                        "status__in",
                        (
                            "submitted",
                            "revision",
                            "survey",
                            "survey_scheduled",
                            "review",
                            "decision",
                            "payment",
                        ),
                    )
                ),
                fields=["submitted_on", "id"],
                name="application_queue",
            ),
        ),
    ]
