import shutil
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transfer.export import FOLDERS, as_zip, export_library


class Command(BaseCommand):
    help = (
        "Write the whole library (authors, hubs, articles, standalone pages, with their images and audio) as "
        "Markdown files with front matter, the format import_content reads (docs/import-format.md). The same "
        "library always gives the same files."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", metavar="DIR", help="An empty or new folder, or a file name ending in .zip.")
        parser.add_argument("--zip", action="store_true", help="Write one .zip archive instead of a folder.")
        parser.add_argument(
            "--force", action="store_true",
            help="Replace what an earlier export wrote in DIR (its folders authors/, hubs/, articles/, pages/, "
                 "images/ and audio/, or the .zip); nothing else there is touched.",
        )

    def handle(self, *args, target, zip, force, **options):
        target = Path(target)
        archive = zip or target.suffix.lower() == ".zip"
        if archive and target.suffix.lower() != ".zip":
            target = target.with_suffix(".zip")
        self.check_target(target, archive, force)
        files = export_library()
        if archive:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(as_zip(files))
        else:
            for folder in FOLDERS:
                shutil.rmtree(target / folder, ignore_errors=True)
            for path, content in files.items():
                (target / path).parent.mkdir(parents=True, exist_ok=True)
                (target / path).write_bytes(content)
        counts = Counter(path.split("/")[0] for path in files)
        media = counts["images"] + counts["audio"]
        size = sum(len(content) for content in files.values()) / (1024 * 1024)
        self.stdout.write(
            f"Exported {counts['authors']} authors, {counts['hubs']} hubs, {counts['articles']} articles, "
            f"{counts['pages']} standalone pages and {media} images and audio files ({size:.1f} MB) to {target}."
        )

    def check_target(self, target, archive, force):
        if archive:
            if target.exists() and not force:
                raise CommandError(f"{target} exists: choose another name, or add --force to replace it.")
            return
        if target.exists() and not target.is_dir():
            raise CommandError(f"{target} is a file, not a folder: give a folder (or a name ending in .zip).")
        if target.exists() and not force and any(target.iterdir()):
            raise CommandError(f"{target} is not empty: choose an empty or new folder, or add --force to replace the "
                               "folders an earlier export wrote there.")
