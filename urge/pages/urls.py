from django.urls import path

from urge.pages import act, embed, scoreboard, views

urlpatterns = [
    path("", views.home, name="urge-home"),
    path("c/<slug:slug>/", views.campaign, name="urge-campaign"),
    path("c/<slug:slug>/act/", act.act, name="urge-act"),
    path("c/<slug:slug>/scoreboard/", scoreboard.scoreboard, name="urge-scoreboard"),
    # The compact action that other sites may show in a frame (urge/pages/embed.py).
    path("c/<slug:slug>/embed/", embed.lookup, name="urge-embed"),
    path("c/<slug:slug>/embed/act/", embed.act, name="urge-embed-act"),
]
