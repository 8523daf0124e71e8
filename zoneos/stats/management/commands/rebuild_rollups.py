"""Rebuild the rollups the writers keep by deltas, from the rows they sum: the statistics' rollup of the
registry (`stats.Rollup`), the months of the key projects' areas (`supervision.AreaMonth`) and the
investment funnel's cells (`pipeline.Funnel*`) and the industrial chains' cells (`chains.Chain*`).

The writers keep them exact in every transaction, so this is a repair: after rows were written around
the services (a restore of part of a table, a hand correction in the database shell), or to check
them (`--check` rebuilds inside a transaction, compares, and rolls back; exit status 1 on a
difference)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zoneos.chains import cells as chain_cells
from zoneos.pipeline import funnel_cells
from zoneos.stats import services as stats
from zoneos.supervision import services as supervision

ROLLUPS = {
    "stats": (stats.SPEC, lambda: stats.refresh(None)),
    "supervision": (supervision.AREA_MONTHS, supervision.rebuild_area_months),
    **{
        f"funnel_{name}": (spec, lambda spec=spec: funnel_cells.rebuild(spec))
        for name, spec in funnel_cells.NAMED.items()
    },
    # The three kinds of chain cell are rebuilt together (one pass over the placements).
    **{
        f"chain_{name}": (spec, lambda spec=spec: chain_cells.rebuild() and spec.model.objects.count())
        for name, spec in chain_cells.NAMED.items()
    },
}


class Command(BaseCommand):
    help = "Rebuild (or --check) the rollups kept by the writers: stats, supervision, funnel_*, chain_*."

    def add_arguments(self, parser):
        parser.add_argument("rollups", nargs="*", help=f"Which of {', '.join(ROLLUPS)} (default: all).")
        parser.add_argument("--check", action="store_true", help="Compare with a rebuild and change nothing.")

    def handle(self, *args, rollups=(), check=False, **options):
        unknown = set(rollups) - set(ROLLUPS)
        if unknown:
            raise CommandError(f"no such rollup: {', '.join(sorted(unknown))} (known: {', '.join(ROLLUPS)})")
        differing = []
        for name in rollups or ROLLUPS:
            spec, rebuild = ROLLUPS[name]
            with transaction.atomic():
                kept = spec.rows() if check else None
                cells = rebuild()
                if check:
                    rebuilt = spec.rows()
                    transaction.set_rollback(True)
                    wrong = sorted(k for k in kept.keys() | rebuilt.keys() if kept.get(k) != rebuilt.get(k))
                    if wrong:
                        differing.append(name)
                    self.stdout.write(f"{name}: {cells} cells, {len(wrong)} differ from a rebuild")
                    for key in wrong[:20]:
                        self.stdout.write(f"  {key}: kept {kept.get(key)}, rebuilt {rebuilt.get(key)}")
                else:
                    self.stdout.write(f"{name}: rebuilt {cells} cells")
        if differing:
            raise CommandError(f"rollups differing from a rebuild: {', '.join(differing)}")
