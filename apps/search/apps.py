from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "apps.search"
    verbose_name = _("站内搜索")

    def ready(self) -> None:
        from apps.editorial.signals import public_version_changed

        from . import indexing, registry

        registry.autodiscover()
        # The editorial engine announces every change of what the public sees
        # (publish, scheduled publish, withdraw, unpublish, expiry, archive) here.
        public_version_changed.connect(indexing.on_public_version_changed, dispatch_uid="search.index")
