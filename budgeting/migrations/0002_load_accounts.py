"""Levels 1–3 of the expense accounts (shipped, see budgeting/data/README.md)."""

import csv
from pathlib import Path

from django.db import migrations

ACCOUNTS_FILE = Path(__file__).resolve().parents[1] / "data" / "rekening_belanja.csv"


def load(apps, schema_editor):
    from binjai_portal.core.codetree import code_tree_load

    Account = apps.get_model("budgeting", "Account")
    with ACCOUNTS_FILE.open(encoding="utf-8", newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: (r["code"].count("."), r["code"]))
    code_tree_load(Account, rows)


class Migration(migrations.Migration):
    dependencies = [("budgeting", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
