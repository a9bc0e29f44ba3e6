"""The pages that links in supporters' emails lead to, and asking for the email again."""

from django.urls import path

from urge.supporters import link_views

urlpatterns = [
    path("c/<slug:slug>/confirm/<str:token>/", link_views.confirm, name="urge-confirm"),
    path("c/<slug:slug>/leave/<str:token>/", link_views.unsubscribe, name="urge-unsubscribe"),
    path("c/<slug:slug>/erase/<str:token>/", link_views.erase, name="urge-erase"),
    path("c/<slug:slug>/join/resend/", link_views.resend, name="urge-resend"),
]
