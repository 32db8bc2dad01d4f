from django.urls import path

from . import views

app_name = "interaction"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("write/", views.write, name="write"),
    path("track/", views.track, name="track"),
]
