from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0003_reviewbatch_batchentry"),
    ]

    operations = [
        migrations.AddField(
            model_name="batchentry",
            name="preview",
            field=models.JSONField(blank=True, default=dict, verbose_name="变更预览"),
        ),
    ]
