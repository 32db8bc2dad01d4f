"""TimeStampedModel's authorship rules, on a real table (IndustryCluster), and
the reference data that migrate alone must create."""

import pytest
from django.apps import apps
from django.db import models
from django.db.models import ProtectedError

from apps.core.models import ClusterRole, IndustryCluster, TimeStampedModel
from apps.core.seed import CLUSTERS


def make_cluster(by, slug="test-cluster"):
    cluster = IndustryCluster(name=f"测试集群 {slug}", slug=slug, role=ClusterRole.EMERGING)
    cluster.stamp(by)
    cluster.save()
    return cluster


def test_stamp_records_the_creator_once_and_the_last_updater_each_time(make_user):
    author, colleague = make_user("author"), make_user("colleague")
    cluster = make_cluster(author)
    assert (cluster.created_by, cluster.updated_by) == (author, author)
    cluster.stamp(colleague)
    cluster.save()
    cluster.refresh_from_db()
    assert (cluster.created_by, cluster.updated_by) == (author, colleague)


def test_deleting_a_user_who_created_a_row_is_refused(make_user):
    author = make_user("author")
    cluster = make_cluster(author)
    with pytest.raises(ProtectedError):
        author.delete()
    assert IndustryCluster.objects.filter(pk=cluster.pk, created_by=author).exists()


def test_deleting_the_last_updater_keeps_the_row_and_empties_updated_by(make_user):
    author, updater = make_user("author"), make_user("updater")
    cluster = make_cluster(author)
    cluster.stamp(updater)
    cluster.save()
    updater.delete()
    cluster.refresh_from_db()
    assert cluster.updated_by is None
    assert cluster.created_by == author


def test_every_timestamped_model_protects_its_creator_and_forgets_its_updater():
    concrete = [
        model for model in apps.get_models()
        if issubclass(model, TimeStampedModel) and not model._meta.abstract
    ]
    assert IndustryCluster in concrete
    for model in concrete:
        created_by = model._meta.get_field("created_by")
        updated_by = model._meta.get_field("updated_by")
        assert created_by.remote_field.on_delete is models.PROTECT, model
        assert updated_by.remote_field.on_delete is models.SET_NULL, model


def test_migrate_alone_seeds_the_industry_clusters(db):
    """pytest-django's test database is only migrated: no load_demo has run."""
    seeded = {c.slug: c for c in IndustryCluster.objects.ordered()}
    assert {slug for _name, slug, _role, _position, _description in CLUSTERS} <= set(seeded)
    for name, slug, role, position, _description in CLUSTERS:
        cluster = seeded[slug]
        assert (cluster.name, cluster.role, cluster.position) == (name, role, position)
        assert cluster.created_by is None  # made by the system (a data migration)
