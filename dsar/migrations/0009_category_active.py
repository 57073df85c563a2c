from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dsar", "0008_automated_significance_consequences"),
    ]

    operations = [
        migrations.AddField(
            model_name="datacategory",
            name="active",
            field=models.BooleanField(default=True, verbose_name="active"),
        ),
    ]
