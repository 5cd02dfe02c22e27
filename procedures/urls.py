"""URLs of the domain app: public catalogue, dossiers, API."""

from django.urls import path

from procedures.api import dossiers as dossier_api
from procedures.api.catalogue import ProcedureDetailView, ProcedureListView
from procedures.api.due import ProcedureDueView
from procedures.api.lookup import LookupView
from procedures.api.units import UnitDetailView, UnitListView
from procedures.views import catalogue as catalogue_views
from procedures.views import deadline_watch as deadline_watch_views
from procedures.views import lookup as lookup_views

urlpatterns: list = [
    path("api/procedures/<str:code>/due/", ProcedureDueView.as_view(), name="procedure-due"),
]

# Public catalogue (Vietnamese slugs) and its API. `<str:code>` never matches a "/", so the
# api/procedures/<code>/ route cannot swallow api/procedures/<code>/due/ above.
urlpatterns += [
    path("thu-tuc/", catalogue_views.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", catalogue_views.procedure_detail, name="procedure_detail"),
    path("thu-tuc/<str:code>/in/", catalogue_views.procedure_checklist, name="procedure_checklist"),
    path(
        "thu-tuc/<str:code>/mau/<int:document_id>/",
        catalogue_views.document_template,
        name="procedure_document_template",
    ),
    path("api/procedures/", ProcedureListView.as_view(), name="api-procedure-list"),
    path("api/procedures/<str:code>/", ProcedureDetailView.as_view(), name="api-procedure-detail"),
    path("api/units/", UnitListView.as_view(), name="api-unit-list"),
    path("api/units/<str:code>/", UnitDetailView.as_view(), name="api-unit-detail"),
]

# Dossiers (the API; the pages come later). One POST per transition, each its own URL name.
urlpatterns += [
    path("api/dossiers/", dossier_api.DossierListView.as_view(), name="api-dossier-list"),
    path("api/dossiers/<str:code>/", dossier_api.DossierDetailView.as_view(), name="api-dossier-detail"),
    path(
        "api/dossiers/<str:code>/documents/<int:document_id>/",
        dossier_api.DossierDocumentView.as_view(),
        name="api-dossier-document",
    ),
] + [
    path(
        f"api/dossiers/<str:code>/{slug}/",
        dossier_api.DossierActionView.as_view(slug=slug),
        name=f"api-dossier-{slug}",
    )
    for slug in dossier_api.ACTION_SLUGS
]

# Public lookup: a dossier's progress for whoever holds its code and the applicant's phone.
urlpatterns += [
    path("tra-cuu/", lookup_views.lookup, name="lookup"),
    path("api/lookup/", LookupView.as_view(), name="api-lookup"),
]

# Staff: dossiers the deadline sweep flagged (due soon, overdue), with their apology letters.
urlpatterns += [
    path("ho-so/han-xu-ly/", deadline_watch_views.deadline_watch, name="deadline_watch"),
]
