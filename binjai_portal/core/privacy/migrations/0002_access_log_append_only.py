"""The access log is append-only in the database too: UPDATE and DELETE are refused,
except a DELETE inside a transaction that set `privacy.allow_purge` (the retention job,
services.access_log_purge). TRUNCATE (test database flushes) is not a row operation."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION privacy_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('privacy.allow_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'privacy_accesslog is append-only (UU 27/2022 access log)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_accesslog_append_only
    BEFORE UPDATE OR DELETE ON privacy_accesslog
    FOR EACH ROW EXECUTE FUNCTION privacy_accesslog_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS privacy_accesslog_append_only ON privacy_accesslog;
DROP FUNCTION IF EXISTS privacy_accesslog_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
