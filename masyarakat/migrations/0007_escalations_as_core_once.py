"""The reminders and escalations already sent become core NotifiedOnce keys
(`masyarakat.<level>:<ticket id>`), so none is sent again; then the Escalation table goes."""

from django.db import migrations


def forward(apps, schema_editor):
    NotifiedOnce = apps.get_model("core", "NotifiedOnce")
    rows = apps.get_model("masyarakat", "Escalation").objects.all()
    NotifiedOnce.objects.bulk_create(
        [
            NotifiedOnce(key=f"masyarakat.{e.level}:{e.ticket_id}", created_at=e.created_at)
            for e in rows.iterator()
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


def backward(apps, schema_editor):
    Escalation = apps.get_model("masyarakat", "Escalation")
    Ticket = apps.get_model("masyarakat", "Ticket")
    for once in apps.get_model("core", "NotifiedOnce").objects.filter(key__startswith="masyarakat."):
        level, ticket_id = once.key.removeprefix("masyarakat.").split(":", 1)
        ticket = Ticket.objects.filter(pk=int(ticket_id)).first()
        if ticket is not None and ticket.sla_due:
            Escalation.objects.get_or_create(
                ticket=ticket, level=level, defaults={"sla_due": ticket.sla_due}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_sequence_notified_once"),
        ("masyarakat", "0006_ticket_numbers_in_core_sequence"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="Escalation"),
    ]
