from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("interpretations/", views.interpretations, name="interpretations"),
    path("interpretations/<int:pk>/", views.interpretation, name="interpretation"),
]
