from django.conf import settings
from django.core.management.base import BaseCommand

from binjai_portal.accounts.units import units_load


class Command(BaseCommand):
    help = "Load the region's units: kecamatan/kelurahan offices, agencies, health facilities."

    def add_arguments(self, parser):
        parser.add_argument("--region", default=None)

    def handle(self, *args, region=None, **options):
        code = region or settings.REGION_CODE
        r = units_load(region_code=code)
        self.stdout.write(
            f"Units for {code}: {r.created} created, {r.updated} updated, {r.unchanged} unchanged."
        )
