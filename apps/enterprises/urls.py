from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("platforms/", views.platform_index, name="platforms"),
    path("platforms/<int:pk>/", views.platform_detail, name="platform_detail"),
    path("my/", views.my_entry, name="my_entry"),
    path("account/login/", views.EnterpriseLoginView.as_view(), name="login"),
    path("account/logout/", views.EnterpriseLogoutView.as_view(), name="logout"),
]
