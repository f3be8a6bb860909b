from django.apps import AppConfig


class CsePortalConfig(AppConfig):
    name = "cse_portal"
    verbose_name = "CSE Portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cse_portal import (
            exports,  # noqa: F401  (registers the whole file's PDF builder, for the PDF worker)
            signals,  # noqa: F401  (sign-in bookkeeping; in ready(), once the app registry is loaded)
            working_days,  # noqa: F401  (registers its settings check)
        )
        from cse_portal.caseload_columns import register_core_columns, register_navigation
        from cse_portal.themes_core import register_core_themes

        register_core_columns()
        register_navigation()
        register_core_themes()
