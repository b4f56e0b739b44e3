"""Open311 API keys are stored as SHA-256 digests; existing keys keep working."""

import hashlib

from django.db import migrations, models


def hash_keys(apps, schema_editor):
    ApiKey = apps.get_model("masyarakat", "ApiKey")
    for key in ApiKey.objects.all():
        key.digest = hashlib.sha256(key.key.encode()).hexdigest()
        key.prefix = key.key[:8]
        key.save(update_fields=["digest", "prefix"])


class Migration(migrations.Migration):
    dependencies = [("masyarakat", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apikey", name="prefix",
            field=models.CharField(default="", editable=False, max_length=8,
                                   verbose_name="awalan"),
        ),
        migrations.AddField(
            model_name="apikey", name="digest",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        # No reverse: the keys themselves are gone once hashed.
        migrations.RunPython(hash_keys, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="apikey", name="key"),
        migrations.AlterField(
            model_name="apikey", name="digest",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
