from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Administrative procedures")

    def ready(self):
        # A running portal receives corrections to the shipped catalogue on its next `migrate`.
        from procedures.services.catalogue_corrections import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="procedures.catalogue_corrections")

        from procedures.catalogue_cache import connect_signals

        connect_signals()
