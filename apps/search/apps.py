from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "apps.search"
    verbose_name = _("站内搜索")

    def ready(self) -> None:
        from apps.editorial.signals import public_version_changed, public_versions_changed

        from . import indexing, registry

        registry.autodiscover()
        # The editorial engine announces every change of what the public sees
        # (publish, scheduled publish, withdraw, unpublish, expiry, archive) here;
        # a batch's members come together, one signal per model.
        public_version_changed.connect(indexing.on_public_version_changed, dispatch_uid="search.index")
        public_versions_changed.connect(indexing.on_public_versions_changed, dispatch_uid="search.index_many")
