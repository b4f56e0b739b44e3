"""The alerts already raised become core NotifiedOnce keys (`command_center.alert:<cause>`),
so no cause is raised again."""

from django.db import migrations


def forward(apps, schema_editor):
    NotifiedOnce = apps.get_model("core", "NotifiedOnce")
    rows = apps.get_model("command_center", "Alert").objects.values_list("cause_key", "raised_at")
    NotifiedOnce.objects.bulk_create(
        [
            NotifiedOnce(key=f"command_center.alert:{key}", created_at=when)
            for key, when in rows.iterator()
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


def backward(apps, schema_editor):
    apps.get_model("core", "NotifiedOnce").objects.filter(
        key__startswith="command_center.alert:"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_sequence_notified_once"),
        ("command_center", "0002_stored_dashboard_and_alert_index"),
    ]

    operations = [migrations.RunPython(forward, backward)]
