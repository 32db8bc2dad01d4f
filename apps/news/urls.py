from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/<int:month>/<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("feed/rss/", feeds.LatestReleasesFeed(), name="rss"),
    path("feed/atom/", feeds.LatestReleasesAtomFeed(), name="atom"),
]
