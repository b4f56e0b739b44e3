"""Stored states become English codes, as in every other app (labels stay translated).

Moves the rows, their simple_history copies and the workflow history (core.StatusChange)
of the budget, the price list and the fiscal year; backwards restores the Indonesian codes.
"""

from django.db import migrations, models

BUDGET = {
    "draf": "draft",
    "diajukan": "submitted",
    "ditelaah": "in_review",
    "dikembalikan": "returned",
    "terverifikasi": "verified",
    "disetujui": "approved",
    "dikunci": "locked",
}
PRICE_LIST = {"draf": "draft", "terbit": "published", "diganti": "superseded"}
PHASE = {
    "penyusunan": "planning",
    "penetapan": "enactment",
    "pelaksanaan": "execution",
    "ditutup": "closed",
}
STANDARD = {
    "standar": "standard",
    "menunggu": "pending",
    "disetujui": "approved",
    "ditolak": "rejected",
}
# (model, field, mapping)
FIELDS = (
    ("Budget", "status", BUDGET),
    ("HistoricalBudget", "status", BUDGET),
    ("PriceList", "status", PRICE_LIST),
    ("FiscalYear", "phase", PHASE),
    ("Line", "standard", STANDARD),
    ("HistoricalLine", "standard", STANDARD),
)
WORKFLOWS = {
    "budgeting.budget": BUDGET,
    "budgeting.price_list": PRICE_LIST,
    "budgeting.fiscal_year": PHASE,
}


def _move(apps, *, backwards: bool) -> None:
    def pairs(mapping):
        return [(new, old) if backwards else (old, new) for old, new in mapping.items()]

    for model_name, field, mapping in FIELDS:
        model = apps.get_model("budgeting", model_name)
        # One UPDATE per field (a CASE over every value), not one per value.
        whens = [models.When(**{field: src}, then=models.Value(dst)) for src, dst in pairs(mapping)]
        model.objects.filter(**{f"{field}__in": [src for src, _dst in pairs(mapping)]}).update(
            **{field: models.Case(*whens, output_field=models.CharField())}
        )
    change = apps.get_model("core", "StatusChange")
    for workflow, mapping in WORKFLOWS.items():
        for column in ("from_state", "to_state"):
            whens = [
                models.When(**{column: src}, then=models.Value(dst)) for src, dst in pairs(mapping)
            ]
            change.objects.filter(
                workflow=workflow, **{f"{column}__in": [src for src, _dst in pairs(mapping)]}
            ).update(**{column: models.Case(*whens, output_field=models.CharField())})


def forwards(apps, schema_editor):
    _move(apps, backwards=False)


def backwards(apps, schema_editor):
    _move(apps, backwards=True)


BUDGET_CHOICES = [
    ("draft", "Draf"),
    ("submitted", "Diajukan"),
    ("in_review", "Ditelaah TAPD"),
    ("returned", "Dikembalikan ke OPD"),
    ("verified", "Terverifikasi"),
    ("approved", "Disetujui (APBD ditetapkan)"),
    ("locked", "Dikunci (DPA)"),
]
STANDARD_CHOICES = [
    ("standard", "Harga standar"),
    ("pending", "Non-standar: menunggu persetujuan TAPD"),
    ("approved", "Non-standar: disetujui TAPD"),
    ("rejected", "Non-standar: ditolak TAPD"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("budgeting", "0002_load_accounts"),
        ("core", "0009_urusan_english_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="budget",
            name="status",
            field=models.CharField(
                choices=BUDGET_CHOICES,
                db_index=True,
                default="draft",
                max_length=14,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="historicalbudget",
            name="status",
            field=models.CharField(
                choices=BUDGET_CHOICES,
                db_index=True,
                default="draft",
                max_length=14,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="fiscalyear",
            name="phase",
            field=models.CharField(
                choices=[
                    ("planning", "Penyusunan"),
                    ("enactment", "Penetapan"),
                    ("execution", "Pelaksanaan"),
                    ("closed", "Ditutup"),
                ],
                default="planning",
                max_length=12,
                verbose_name="tahap",
            ),
        ),
        migrations.AlterField(
            model_name="line",
            name="standard",
            field=models.CharField(
                choices=STANDARD_CHOICES,
                default="standard",
                max_length=10,
                verbose_name="kesesuaian harga",
            ),
        ),
        migrations.AlterField(
            model_name="historicalline",
            name="standard",
            field=models.CharField(
                choices=STANDARD_CHOICES,
                default="standard",
                max_length=10,
                verbose_name="kesesuaian harga",
            ),
        ),
        migrations.AlterField(
            model_name="pricelist",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draf"),
                    ("published", "Terbit (terkunci)"),
                    ("superseded", "Diganti versi baru"),
                ],
                default="draft",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
