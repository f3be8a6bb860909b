from django.apps import AppConfig


class StrategyMeetingsConfig(AppConfig):
    name = "strategy_meetings"
    verbose_name = "Strategy meetings"
    default_auto_field = "django.db.models.BigAutoField"
