"""Default review chains (三审): 普通 = 复审 → 签发; 重要/敏感 = 初审 → 复审 → 终审(签发)."""

from django.db import migrations

from apps.editorial.chains import seed_default_chains


def seed(apps, schema_editor):
    seed_default_chains(
        apps.get_model("editorial", "ReviewChain"),
        apps.get_model("editorial", "ReviewStep"),
        apps.get_model("auth", "Group"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
