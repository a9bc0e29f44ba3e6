from django.urls import include, path

from urge.supporters import views

urlpatterns = [
    path("c/<slug:slug>/join/", views.join, name="urge-join"),
    path("c/<slug:slug>/join/thanks/", views.thanks, name="urge-join-thanks"),
    path("", include("urge.supporters.link_urls")),
]
