from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from binjai_portal.core import demo


class Command(BaseCommand):
    help = "Load regions and units and every app's demo data. Idempotent."

    def handle(self, *args, **options):
        call_command("load_regions", stdout=self.stdout)
        call_command("load_nomenclature", stdout=self.stdout)
        for seeder in demo.seeders():
            with transaction.atomic():
                seeder.func(lambda line, name=seeder.name: self.stdout.write(f"[{name}] {line}"))
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
