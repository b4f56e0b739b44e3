"""Generate the city-scale data set through each app's registered scale generator.

The command center imports no app, so it cannot write their tables; each app registers
`@kpi.scale_generator("<app>")` in its scale.py, writing its own rows with PostgreSQL's
fast paths (COPY, generate_series). factor 1.0 is the full set of issue 9 (1,000,000
complaints, 200,000 bookings, 100,000 proposals, 50,000 permit applications,
200,000 budget lines); 0.01 is the hundredth the benchmark compares it with.
"""

from django.core.management.base import BaseCommand, CommandError

from binjai_portal.core import kpi


class Command(BaseCommand):
    help = "Generate the scale data set (1.0 = city scale) through the apps' generators."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=1.0)
        parser.add_argument(
            "--app", action="append", default=[], help="only these apps (repeatable)"
        )

    def handle(self, *args, factor, app, **options):
        if not 0 < factor <= 10:
            raise CommandError("--factor must be above 0 and at most 10")
        generators = sorted(kpi.registry.scale_generators.values(), key=lambda g: (g.order, g.app))
        unknown = set(app) - {g.app for g in generators}
        if unknown:
            raise CommandError(f"no scale generator registered for: {', '.join(sorted(unknown))}")
        if app:
            generators = [g for g in generators if g.app in app]
        if not generators:
            self.stdout.write("no scale generator registered")
            return
        for g in generators:
            self.stdout.write(f"{g.app}: generating (factor {factor})")
            g.generate(factor, self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"done: {len(generators)} generator(s)"))
