from django.urls import path

from . import enterprise_views as views

app_name = "accounts"

urlpatterns = [
    path("password-reset/", views.PasswordResetView.as_view(), name="enterprise_password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="enterprise_password_reset_done"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="enterprise_set_password"),
    path("set-password/done/", views.SetPasswordDoneView.as_view(), name="enterprise_set_password_done"),
    path("invite/", views.invite, name="enterprise_invite"),
]
