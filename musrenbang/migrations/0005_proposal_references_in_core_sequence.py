"""Proposal references move to core.Sequence (one row per plan year), then the cycle's
own counter is dropped."""

from django.db import migrations, models

KEY = "musrenbang.proposal"


def forward(apps, schema_editor):
    Sequence = apps.get_model("core", "Sequence")
    for cycle in apps.get_model("musrenbang", "Cycle").objects.all():
        Sequence.objects.update_or_create(
            key=KEY, year=cycle.plan_year, defaults={"last": cycle.last_number}
        )


def backward(apps, schema_editor):
    Cycle = apps.get_model("musrenbang", "Cycle")
    for s in apps.get_model("core", "Sequence").objects.filter(key=KEY):
        Cycle.objects.filter(plan_year=s.year).update(last_number=s.last)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_sequence_notified_once"),
        ("musrenbang", "0004_funding_story"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="cycle", name="last_number"),
    ]
