"""Seed the qualification kinds and platform kinds (editable lists)."""

from django.db import migrations

from apps.enterprises.seed import PLATFORM_KINDS, QUALIFICATION_KINDS, seed_kinds


def seed(apps, schema_editor):
    seed_kinds(apps.get_model("enterprises", "QualificationKind"), apps.get_model("enterprises", "PlatformKind"))


def unseed(apps, schema_editor):
    apps.get_model("enterprises", "QualificationKind").objects.filter(name__in=[k[0] for k in QUALIFICATION_KINDS]).delete()
    apps.get_model("enterprises", "PlatformKind").objects.filter(name__in=[k[0] for k in PLATFORM_KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
