from django.urls import path

from urge.legislators import views

urlpatterns = [path("api/lookup", views.api_lookup, name="urge-api-lookup")]
