"""Seed the park's industry clusters: modern services as the pillar, three leading industries."""

from django.db import migrations

from apps.core.seed import CLUSTERS, seed_clusters


def seed(apps, schema_editor):
    seed_clusters(apps.get_model("core", "IndustryCluster"))


def unseed(apps, schema_editor):
    IndustryCluster = apps.get_model("core", "IndustryCluster")
    IndustryCluster.objects.filter(slug__in=[c[1] for c in CLUSTERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
