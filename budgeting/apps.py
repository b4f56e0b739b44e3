from django.apps import AppConfig


class BudgetingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "budgeting"
    verbose_name = "e-Budgeting"

    def ready(self):
        from binjai_portal.core import demo

        from .demo import seed

        demo.register("budgeting", seed, order=60)
