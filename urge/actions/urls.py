from django.urls import path

from urge.actions import views

# The action page itself (urge-act) is urge/pages/act.py: it adds where the bill stands.
urlpatterns = [
    path("c/<slug:slug>/act/go/", views.go, name="urge-act-go"),
]
