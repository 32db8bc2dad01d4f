from django.urls import path

from . import feeds, views

app_name = "talent"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("rounds/<int:pk>.ics", views.round_calendar, name="round_calendar"),
    path("<int:pk>/materials/<int:attachment_id>/", views.material_template, name="material_template"),
    path("feed/rss/", feeds.OpenedRoundsFeed(), name="rss"),
    path("feed/atom/", feeds.OpenedRoundsAtomFeed(), name="atom"),
]
