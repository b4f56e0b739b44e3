from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from binjai_portal.core.regions import UnknownRegion, regions_load


class Command(BaseCommand):
    help = "Load the portal's region, its kecamatan and kelurahan/desa from the national file."

    def add_arguments(self, parser):
        parser.add_argument("--region", default=None, help="Kemendagri code, e.g. 12.75")

    def handle(self, *args, region=None, **options):
        code = region or settings.REGION_CODE
        try:
            result = regions_load(region_code=code)
        except UnknownRegion:
            raise CommandError(f"Region code {code!r} is not in the national file.") from None
        self.stdout.write(
            f"Regions for {code}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
