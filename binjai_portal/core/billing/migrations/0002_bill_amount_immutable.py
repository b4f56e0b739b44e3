"""A bill's amount, payer and billed record never change after issue: PostgreSQL refuses
the UPDATE itself, whatever code runs it (SQLite for `make run` relies on the services)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION billing_bill_immutable() RETURNS trigger AS $$
BEGIN
  IF NEW.amount IS DISTINCT FROM OLD.amount
     OR NEW.code IS DISTINCT FROM OLD.code
     OR NEW.payer_id IS DISTINCT FROM OLD.payer_id
     OR NEW.subject_kind IS DISTINCT FROM OLD.subject_kind
     OR NEW.subject_id IS DISTINCT FROM OLD.subject_id THEN
    RAISE EXCEPTION 'a bill is immutable after issue (cancel it and issue a new one)';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS billing_bill_immutable ON billing_bill;
CREATE TRIGGER billing_bill_immutable BEFORE UPDATE ON billing_bill
  FOR EACH ROW EXECUTE FUNCTION billing_bill_immutable();
"""
DROP = """
DROP TRIGGER IF EXISTS billing_bill_immutable ON billing_bill;
DROP FUNCTION IF EXISTS billing_bill_immutable();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
