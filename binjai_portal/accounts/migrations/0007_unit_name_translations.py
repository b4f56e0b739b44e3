from django.db import migrations, models

from binjai_portal.core.translations import fill_indonesian


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_sms_reset_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="name_en",
            field=models.CharField(max_length=160, null=True, verbose_name="nama"),
        ),
        migrations.AddField(
            model_name="unit",
            name="name_ind",
            field=models.CharField(max_length=160, null=True, verbose_name="nama"),
        ),
        fill_indonesian("accounts", "Unit", ("name",)),
    ]
