from django.apps import AppConfig


class StrategyMeetingsConfig(AppConfig):
    name = "strategy_meetings"
    verbose_name = "Strategy meetings"

    def ready(self) -> None:
        # The action plan's rules, finalising step, file section and navigation item (they
        # read the models: only once the apps are ready).
        from strategy_meetings.plan_registrations import register_plan

        register_plan()
