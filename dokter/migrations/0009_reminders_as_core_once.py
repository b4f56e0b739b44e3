"""The reminders and "your turn is near" messages already sent become core NotifiedOnce
keys (`dokter.reminder:<id>`, `dokter.near:<id>`), so none is sent again; the booking's
two flags go. Backwards, the flags are set again from the keys."""

from django.db import migrations

FLAGS = (("reminded", "dokter.reminder:"), ("notified_near", "dokter.near:"))


def forward(apps, schema_editor):
    NotifiedOnce = apps.get_model("core", "NotifiedOnce")
    Booking = apps.get_model("dokter", "Booking")
    for flag, prefix in FLAGS:
        pks = Booking.objects.filter(**{flag: True}).values_list("pk", flat=True).iterator()
        NotifiedOnce.objects.bulk_create(
            (NotifiedOnce(key=f"{prefix}{pk}") for pk in pks),
            ignore_conflicts=True,
            batch_size=1000,
        )


def backward(apps, schema_editor):
    NotifiedOnce = apps.get_model("core", "NotifiedOnce")
    Booking = apps.get_model("dokter", "Booking")
    for flag, prefix in FLAGS:
        keys = NotifiedOnce.objects.filter(key__startswith=prefix).values_list("key", flat=True)
        pks = [int(key.removeprefix(prefix)) for key in keys]
        for start in range(0, len(pks), 1000):
            Booking.objects.filter(pk__in=pks[start : start + 1000]).update(**{flag: True})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_sequence_notified_once"),
        ("dokter", "0008_poli_english_name"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="booking", name="notified_near"),
        migrations.RemoveField(model_name="booking", name="reminded"),
    ]
