from django.apps import AppConfig


class PerizinanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "perizinan"
    verbose_name = "e-Perizinan"

    def ready(self):
        from django.core import checks

        from binjai_portal.core import demo
        from binjai_portal.core.uploads import register_policy

        from . import payments, policies
        from .demo import seed

        register_policy("perizinan.document", policies.document_visible)
        register_policy("perizinan.survey_photo", policies.survey_photo_visible)
        register_policy("perizinan.certificate", policies.certificate_visible)
        demo.register("perizinan", seed, order=60)
        # The levy's bill lives in core.billing; once paid, the permit moves on.
        from binjai_portal.core.billing import hooks as billing_hooks

        from . import selectors, services

        billing_hooks.register(
            services.BILL_KIND,
            on_paid=services.application_payment_received,
            category_names=selectors.permit_type_names,
        )
        checks.register(payments.check_gateway)
