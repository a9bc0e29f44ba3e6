"""Outside the language prefixes: one picture per URL, whichever page's tags named it."""

from django.urls import path

from urge.sharing import views

urlpatterns = [
    path(
        "c/<slug:slug>/preview/<slug:digest>.png",
        views.preview_image,
        name="urge-preview-image",
    ),
]
