from django.urls import path

from urge.pages import scoreboard, views

urlpatterns = [
    path("", views.home, name="urge-home"),
    path("c/<slug:slug>/", views.campaign, name="urge-campaign"),
    path("c/<slug:slug>/scoreboard/", scoreboard.scoreboard, name="urge-scoreboard"),
]
