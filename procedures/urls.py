"""URLs of the domain app: public catalogue, dossiers, API."""

urlpatterns: list = []
