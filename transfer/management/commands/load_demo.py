"""`manage.py load_demo`: the demo library in demo/ (Markdown files with front matter), brought in by the importer
as `import_content demo/` would, plus `--articles N` generated articles for the benchmark (transfer/demo_library.py).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from authors.models import Author
from faqs.models import FAQ
from hubs.models import Hub
from mindlab.auth import DEMO_PASSWORD, DEMO_USERNAME
from mindlab.db import vacuum_after_bulk_load
from mindlab.models import SiteSettings
from pages.models import BuiltIn, Menu, NavigationLink
from pages.models import Page as StandalonePage
from references.models import Reference
from transfer import demo_library
from transfer.importer import Importer, Report, failure
from transfer.sources import collect

DEMO_DIR = settings.BASE_DIR / "demo"


class Command(BaseCommand):
    help = (
        "Load the demo library (the Markdown files in demo/) through the importer. "
        "Safe to run again: it updates by slug, never duplicates, and leaves unchanged files alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=0, metavar="N",
            help="Also generate a library of N long articles (for the benchmark). Run again with the same N "
                 "and nothing changes; another N replaces the generated library.",
        )

    def handle(self, *args, articles, **options):
        if not 0 <= articles <= 100_000:
            raise CommandError(f"--articles must be between 0 and 100000; got {articles}.")
        sources, unreadable = collect([DEMO_DIR])
        report = Importer().run(sources,
                                Report([failure(path, problem) for path, problem in unreadable]))
        for outcome in report.outcomes:
            if outcome.problem or outcome.notes:
                style = self.style.ERROR if outcome.problem else self.style.WARNING
                for line in outcome.lines():
                    self.stdout.write(style(line))
        self.stdout.write(f"demo/: {report.summary()}")
        if report.failed:
            raise CommandError(f"{len(report.failed)} demo files failed; see the lines above.")
        self.set_up_navigation()
        if articles:
            demo_library.generate(articles, stdout=self.stdout, stderr=self.stderr)
            vacuum_after_bulk_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {Hub.objects.count()} hubs, {Article.objects.count()} articles, "
                f"{Author.objects.count()} authors, {Reference.objects.count()} references, {FAQ.objects.count()} FAQs."
            )
        )
        if settings.DEBUG:
            self.ensure_demo_login()

    def set_up_navigation(self):
        """The menus and the privacy and terms links, set only where staff have set none."""
        pages = {page.slug: page for page in StandalonePage.objects.live_pages()}
        if not NavigationLink.objects.exists():
            header = [{"built_in": BuiltIn.TOPICS}, {"page": pages["about"], "label": "About"},
                      {"page": pages["approach"], "label": "Approach"},
                      {"built_in": BuiltIn.LATEST}, {"built_in": BuiltIn.STRATEGY_CALL}]
            footer = [*({"hub": hub} for hub in Hub.objects.live_pages().order_by("order")),
                      {"page": pages["about"]}, {"page": pages["approach"]},
                      {"built_in": BuiltIn.STRATEGY_CALL, "label": "Request a strategy call"}]
            for menu, links in ((Menu.HEADER, header), (Menu.FOOTER, footer)):
                for order, link in enumerate(links):
                    NavigationLink.objects.create(menu=menu, order=order, **link)
        site = SiteSettings.current()
        if not (site.privacy_page_id or site.terms_page_id):
            site.privacy_page, site.terms_page = pages["privacy-policy"], pages["terms"]
            site.save()

    def ensure_demo_login(self):
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        self.stdout.write(f"Local demo login (DEBUG only): {DEMO_USERNAME} / {DEMO_PASSWORD}")
