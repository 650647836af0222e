"""`manage.py load_demo`: the demo library in demo/ (Markdown files with front matter), brought in by the importer
as `import_content demo/` would, plus `--articles N` generated articles for the benchmark (transfer/demo_library.py).
"""

import dataclasses

import frontmatter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from authors.models import Author
from faqs.models import FAQ
from hubs.models import Hub
from mindlab.auth import DEMO_PASSWORD, DEMO_USERNAME
from mindlab.db import vacuum_after_bulk_load
from references.models import Reference
from transfer import demo_library, markdown_files
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
        report = Importer().run([_until_hub_fields_merge(source) for source in sources],
                                Report([failure(path, problem) for path, problem in unreadable]))
        for outcome in report.outcomes:
            if outcome.problem or outcome.notes:
                style = self.style.ERROR if outcome.problem else self.style.WARNING
                for line in outcome.lines():
                    self.stdout.write(style(line))
        self.stdout.write(f"demo/: {report.summary()}")
        if report.failed:
            raise CommandError(f"{len(report.failed)} demo files failed; see the lines above.")
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

    def ensure_demo_login(self):
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        self.stdout.write(f"Local demo login (DEBUG only): {DEMO_USERNAME} / {DEMO_PASSWORD}")


# TODO(after merging h-hubs): delete this function and its call above. The demo hubs use `faq_groups` and
# `featured_article`, which the importer learns on branch h-hubs; until then a hub's groups are read as one flat
# FAQ list under the first group's heading, and its featured article is left out.
def _until_hub_fields_merge(source):
    if "faq_groups" in markdown_files.FIELDS["hub"]:
        return source
    post = frontmatter.loads(source.data.decode("utf-8"))
    if post.metadata.get("type") != "hub":
        return source
    post.metadata.pop("featured_article", None)
    groups = post.metadata.pop("faq_groups", [])
    if groups:
        post.metadata["faq_heading"] = groups[0].get("heading", "")
        post.metadata["faqs"] = [faq for group in groups for faq in group["faqs"]]
    return dataclasses.replace(source, data=frontmatter.dumps(post).encode("utf-8"))
