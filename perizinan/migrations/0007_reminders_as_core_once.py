"""The reminders and overdue reports already sent become core NotifiedOnce keys
(`perizinan.reminder:<id>`, `perizinan.overdue:<id>`), so none is sent again; the
reminder date goes (overdue_reported_at stays: the figures count late applications by it)."""

import datetime

from django.db import migrations
from django.utils import timezone


def forward(apps, schema_editor):
    NotifiedOnce = apps.get_model("core", "NotifiedOnce")
    Application = apps.get_model("perizinan", "Application")
    rows = []
    for pk, day in Application.objects.filter(reminder_sent_on__isnull=False).values_list(
        "pk", "reminder_sent_on"
    ):
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))
        rows.append(NotifiedOnce(key=f"perizinan.reminder:{pk}", created_at=when))
    for pk, when in Application.objects.filter(overdue_reported_at__isnull=False).values_list(
        "pk", "overdue_reported_at"
    ):
        rows.append(NotifiedOnce(key=f"perizinan.overdue:{pk}", created_at=when))
    NotifiedOnce.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def backward(apps, schema_editor):
    Application = apps.get_model("perizinan", "Application")
    for once in apps.get_model("core", "NotifiedOnce").objects.filter(
        key__startswith="perizinan.reminder:"
    ):
        Application.objects.filter(pk=int(once.key.rsplit(":", 1)[1])).update(
            reminder_sent_on=timezone.localdate(once.created_at)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_sequence_notified_once"),
        ("perizinan", "0006_registration_numbers_in_core_sequence"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="application", name="reminder_sent_on"),
        migrations.RemoveField(model_name="historicalapplication", name="reminder_sent_on"),
    ]
