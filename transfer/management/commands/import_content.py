from django.core.management.base import BaseCommand, CommandError

from transfer.importer import Importer, Report, failure
from transfer.sources import collect


class Command(BaseCommand):
    help = (
        "Import hubs, articles, authors and standalone pages from Markdown files with YAML front matter "
        "(docs/import-format.md): files, folders (every .md below them) or .zip archives. Importing again updates "
        "by slug and never duplicates. Each file is imported on its own; a bad one is reported and the rest go on."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="A .md file, a folder or a .zip archive.")
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Say per file what would be created, updated or left unchanged, and save nothing.",
        )

    def handle(self, *args, paths, dry_run, **options):
        sources, unreadable = collect(paths)
        report = Report([failure(path, problem) for path, problem in unreadable])
        Importer(dry_run=dry_run, progress=self.progress_bar()).run(sources, report)
        for outcome in report.outcomes:
            style = self.style.ERROR if outcome.problem else self.style.WARNING if outcome.notes else str
            for line in outcome.lines():
                self.stdout.write(style(line))
        self.stdout.write(report.headline(dry_run))
        if report.failed:
            raise CommandError(f"{len(report.failed)} of {len(report.outcomes)} files failed; see the lines above.")

    def progress_bar(self):
        """A one-line bar on a terminal for runs long enough to wait for; nothing in logs and pipes."""
        if not self.stdout.isatty():
            return None

        def show(done, total):
            if total < 20:
                return
            filled = 30 * done // total
            self.stdout.write(f"\r[{'#' * filled}{' ' * (30 - filled)}] {done}/{total}", ending="")
            if done == total:
                self.stdout.write("\r" + " " * 50 + "\r", ending="")
            self.stdout.flush()

        return show
