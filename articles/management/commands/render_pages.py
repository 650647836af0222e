import time

from django.core.management.base import BaseCommand
from django.db import transaction

from articles import pages


class Command(BaseCommand):
    help = (
        "Render the stored blocks of every hub and article page and rank every related list again. "
        "Run it after changing a template of a stored block or DJANGO_SITE_URL; edits in the admin need it not."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            hubs, articles = pages.render_all()
        pages.flush_cache()
        self.stdout.write(f"Rendered {hubs} hubs and {articles} articles in {time.monotonic() - started:.1f} s.")
