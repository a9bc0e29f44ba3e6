from django.urls import path

from urge.pages import views

urlpatterns = [
    path("", views.home, name="urge-home"),
    path("c/<slug:slug>/", views.campaign, name="urge-campaign"),
]
