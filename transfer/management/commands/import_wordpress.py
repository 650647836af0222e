from pathlib import Path

from django.core.management.base import CommandError

from transfer.wordpress import ExportError, closing_lines, import_wordpress

from .import_content import Command as ImportContent


class Command(ImportContent):
    help = (
        "Import a WordPress export (WXR, from Tools → Export): posts become articles, categories hubs, tags tags "
        "and authors authors; images come from the uploads folder (--uploads, the site's wp-content/uploads); "
        "each old address (/YYYY/MM/slug/, /slug/, /?p=ID, /category/slug/) gets a 301 to the new page. "
        "Importing again updates by slug and WordPress ID and never duplicates (docs/import-format.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", metavar="EXPORT.xml", help="The WordPress export file.")
        parser.add_argument("--uploads", metavar="DIR",
                            help="The site's wp-content/uploads folder, holding YYYY/MM/file.jpg.")
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Say per item what would be created, updated or left unchanged, and save nothing.",
        )

    def handle(self, *args, export, uploads, dry_run, **options):
        if uploads and not Path(uploads).is_dir():
            raise CommandError(f"--uploads {uploads}: no such folder")
        try:
            report, wxr, redirects = import_wordpress(export, uploads, dry_run, progress=self.progress_bar())
        except ExportError as error:
            raise CommandError(f"{export}: {error}; nothing was imported.") from error
        for outcome in report.outcomes:
            style = self.style.ERROR if outcome.problem else self.style.WARNING if outcome.notes else str
            for line in outcome.lines():
                self.stdout.write(style(line))
        skipped, summary = closing_lines(report, wxr, redirects, dry_run)
        if skipped:
            self.stdout.write(skipped)
        self.stdout.write(summary)
        if report.failed:
            raise CommandError(f"{len(report.failed)} of {len(report.outcomes)} items failed; see the lines above.")
