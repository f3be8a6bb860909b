from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals (CSE1) and risk assessments (CSE2)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cse_portal.sections import ChildSection, register
        from referrals.sections import referrals_section

        register(
            ChildSection(
                key="referrals",
                order=20,
                template="referrals/child_section.html",
                context=referrals_section,
            )
        )
