"""The search index: one row per public item (``SearchEntry``), written only by
``indexing.py``. The segmented text is searched by PostgreSQL full-text search
(``search_vector``, a tsvector with a GIN index) or, on SQLite, by the FTS5 table
``search_fts`` that triggers keep in step with the rows (migration 0001)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.urls_safety import validate_safe_url


class SearchEntry(models.Model):
    kind = models.CharField(_("类型"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    title = models.CharField(_("标题"), max_length=300)
    summary = models.TextField(_("摘要"), blank=True)
    body = models.TextField(_("正文摘录"), blank=True, help_text=_("用于生成搜索结果摘要的纯文本"))
    url = models.CharField(_("网址"), max_length=500, editable=False, validators=[validate_safe_url],
                           help_text=_("内容的 get_absolute_url()，不含繁体前缀"))
    date = models.DateTimeField(_("日期"), null=True, blank=True)
    #: Days since 1970-01-01 of ``date`` (Beijing), 0 without one: the freshness boost's input.
    day = models.IntegerField(_("日序"), default=0)
    title_seg = models.TextField(editable=False)
    summary_seg = models.TextField(editable=False, blank=True)
    body_seg = models.TextField(editable=False, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)
    #: The title alone (PostgreSQL): finds the title matches of a broad query cheaply.
    title_vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索索引条目")
        verbose_name_plural = _("搜索索引条目")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_item")]
        indexes = [
            models.Index(fields=["kind", "date"], name="search_entry_kind_date"),
            # the newest matches of a broad query, walked backwards (undated rows have day 0)
            models.Index(fields=["day", "id"], name="search_entry_day"),
        ]

    def __str__(self) -> str:
        return self.title


class FtsRow(models.Model):
    """The SQLite FTS5 table (``search_fts``, external content: ``SearchEntry``),
    read through the ORM: ``document`` is FTS5's hidden column named like the table
    (``search_fts = 'query'`` is a full-text match) and ``rank`` its bm25 score with
    the column weights set in the migration. Not a table on PostgreSQL."""

    entry = models.OneToOneField(
        SearchEntry, primary_key=True, db_column="rowid", on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="fts",
    )
    document = models.TextField(db_column="search_fts")
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "search_fts"
