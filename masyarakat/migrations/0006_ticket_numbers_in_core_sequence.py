"""Ticket numbers move to core.Sequence: each year's counter is copied, then dropped."""

from django.db import migrations

KEY = "masyarakat.ticket"


def forward(apps, schema_editor):
    Sequence = apps.get_model("core", "Sequence")
    for c in apps.get_model("masyarakat", "TicketCounter").objects.all():
        Sequence.objects.update_or_create(key=KEY, year=c.year, defaults={"last": c.last})


def backward(apps, schema_editor):
    Counter = apps.get_model("masyarakat", "TicketCounter")
    for s in apps.get_model("core", "Sequence").objects.filter(key=KEY):
        Counter.objects.update_or_create(year=s.year, defaults={"last": s.last})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_sequence_notified_once"),
        ("masyarakat", "0005_category_english_names"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="TicketCounter"),
    ]
