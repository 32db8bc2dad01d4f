"""An index on the release–cluster table led by the cluster: counting a cluster's
published releases (the filtered news list's paginator) reads it index-only instead of
a bitmap heap scan of the table. The table is Django's auto-created M2M table, which has
no Meta to declare it in, hence SQL (the same statement on PostgreSQL and SQLite)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("news", "0002_press_release_enterprises")]

    operations = [
        migrations.RunSQL(
            'CREATE INDEX "news_pressrelease_clusters_cluster_release_idx" '
            'ON "news_pressrelease_clusters" ("industrycluster_id", "pressrelease_id")',
            reverse_sql='DROP INDEX "news_pressrelease_clusters_cluster_release_idx"',
        ),
    ]
