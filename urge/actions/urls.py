from django.urls import path

from urge.actions import views

urlpatterns = [
    path("c/<slug:slug>/act/", views.act, name="urge-act"),
    path("c/<slug:slug>/act/go/", views.go, name="urge-act-go"),
]
