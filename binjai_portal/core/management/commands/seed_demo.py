from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from binjai_portal.core import demo


class Command(BaseCommand):
    help = "Load regions and units and every app's demo data. Idempotent."

    def handle(self, *args, **options):
        call_command("load_regions", stdout=self.stdout)
        call_command("load_nomenclature", stdout=self.stdout)
        for seeder in demo.seeders():
            with transaction.atomic():
                seeder.func(lambda line, name=seeder.name: self.stdout.write(f"[{name}] {line}"))
        # Every app's demo accounts may receive SMS: their numbers count as verified.
        get_user_model().objects.filter(is_demo=True, phone_verified_at__isnull=True).exclude(
            phone=None
        ).update(phone_verified_at=timezone.now())
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
