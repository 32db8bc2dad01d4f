from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("preferences/elder-mode/", views.set_elder_mode, name="elder_mode"),
    # Columns whose apps have not landed yet answer with a "coming soon" page.
    # The apps' own URLs are included before these, so "/news/" switches to the
    # news app's index as soon as it defines one.
    path("news/", views.coming_soon, {"key": "news"}, name="news"),
    path("enterprises/", views.coming_soon, {"key": "enterprises"}, name="enterprises"),
    path("talent/", views.coming_soon, {"key": "talent"}, name="talent"),
    path("stations/", views.coming_soon, {"key": "stations"}, name="stations"),
    path("services/", views.coming_soon, {"key": "services"}, name="services"),
    path("policies/", views.coming_soon, {"key": "policies"}, name="policies"),
    path("interaction/", views.coming_soon, {"key": "interaction"}, name="interaction"),
]
