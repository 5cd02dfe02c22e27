"""URLs of the domain app: public catalogue, dossiers, API."""

from django.urls import path

from procedures.api.due import ProcedureDueView

urlpatterns: list = [
    path("api/procedures/<str:code>/due/", ProcedureDueView.as_view(), name="procedure-due"),
]
