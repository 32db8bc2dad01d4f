from django.urls import path

from .views import guide, lookup, ratings, requests, statistics

app_name = "services"

urlpatterns = [
    path("", guide.index, name="index"),
    path("guide/<slug:code>/", guide.detail, name="guide_detail"),
    path("guide/<slug:code>/apply/", requests.apply, name="apply"),
    path("guide/<slug:code>/apply/confirm/", requests.confirm, name="confirm"),
    path("track/", lookup.track, name="track"),
    path("my/", requests.my_list, name="my_list"),
    path("my/<str:number>/", requests.my_detail, name="my_detail"),
    path("my/<str:number>/submitted/", requests.done, name="done"),
    path("my/<str:number>/withdraw/", requests.withdraw, name="withdraw"),
    path("my/<str:number>/supplement/", requests.supplement, name="supplement"),
    path("my/<str:number>/rate/", ratings.rate, name="rate"),
    path("materials/<int:pk>/", requests.material, name="material"),
    path("statistics/", statistics.page, name="statistics"),
    path("statistics/statistics.csv", statistics.csv_download, name="statistics_csv"),
]
