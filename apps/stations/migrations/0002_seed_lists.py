from django.db import migrations


def seed(apps, schema_editor):
    from apps.stations.seed import seed_lists

    seed_lists(apps.get_model("stations", "StationKind"), apps.get_model("stations", "StationService"))


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
