from django.db import migrations


def seed(apps, schema_editor):
    from apps.talent.seed import seed_categories

    seed_categories(apps.get_model("talent", "ProgrammeCategory"))


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
