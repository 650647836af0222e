import io
import math
import wave
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleCitation
from authors.models import Author, Credential, FeaturedIn, ProfileLink
from faqs.models import FAQ
from hubs.models import Hub, HubCitation
from mindlab import demo_content, demo_library
from mindlab.db import vacuum_after_bulk_load
from mindlab.models import SiteSettings
from pages.models import BuiltIn, Menu, NavigationLink
from pages.models import Page as StandalonePage
from references.models import Reference
from transfer.importer import Importer
from transfer.sources import collect

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "mindlab-demo"  # A local login, created only when DEBUG is on.
DEMO_FOLDER = Path(settings.BASE_DIR) / "demo"


class Command(BaseCommand):
    help = (
        "Load the demo hubs, articles, authors, references and FAQs. "
        "Safe to run again: it updates, never duplicates."
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
        self.load(articles)
        if articles:
            vacuum_after_bulk_load()
        if settings.DEBUG:
            self.ensure_demo_login()

    @transaction.atomic
    def load(self, articles):
        authors = {spec["slug"]: self.load_author(spec) for spec in demo_content.AUTHORS}
        references = {key: self.load_reference(spec) for key, spec in demo_content.REFERENCES.items()}
        writer, reviewer = authors["sydney-ceruto"], authors["mindlab-clinical-review-team"]

        hubs = {spec["slug"]: self.load_hub(spec, writer, references) for spec in demo_content.HUBS}
        for first, second in demo_content.RELATED_HUBS:
            hubs[first].related_hubs.add(hubs[second])

        for spec in demo_content.ARTICLES:
            self.load_article(spec, writer, reviewer, hubs, references)
        if articles:
            demo_library.generate(articles, stdout=self.stdout, stderr=self.stderr)
        self.load_pages(hubs)

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {Hub.objects.count()} hubs, {Article.objects.count()} articles, "
                f"{Author.objects.count()} authors, {Reference.objects.count()} references, {FAQ.objects.count()} FAQs."
            )
        )

    def load_author(self, spec):
        author, _ = Author.objects.update_or_create(
            slug=spec["slug"],
            defaults={key: spec[key] for key in ("kind", "name", "role", "short_bio", "bio")},
        )
        author.credentials.all().delete()
        for order, (degree, institution) in enumerate(spec["credentials"]):
            Credential.objects.create(author=author, degree=degree, institution=institution, order=order)
        author.featured_in.all().delete()
        for order, (outlet, url) in enumerate(spec["featured_in"]):
            FeaturedIn.objects.create(author=author, outlet=outlet, url=url, order=order)
        author.profile_links.all().delete()
        for order, (label, url) in enumerate(spec["profile_links"]):
            ProfileLink.objects.create(author=author, label=label, url=url, order=order)
        if not author.headshot:
            # A picture standing in for a photo, so the demo shows headshots (profile, author cards, sharing tags).
            seed = len(author.slug)
            author.headshot.save(f"{author.slug}.jpg", ContentFile(_hero_jpeg(seed=seed, size=(320, 320))), save=False)
            author.headshot_alt = "A demo picture standing in for a photo: soft circles joined by thin lines."
            author.save()
        return author

    def load_reference(self, spec):
        if spec.get("doi"):
            lookup = {"doi": spec["doi"].lower()}
        else:
            lookup = {"title": spec["title"], "year": spec["year"]}
        reference, _ = Reference.objects.update_or_create(**lookup, defaults=spec)
        return reference

    def load_hub(self, spec, author, references):
        fields = (
            "title", "tagline", "pillar_label", "order", "is_sensitive", "meta_description",
            "key_takeaways", "intro", "body",
        )
        hub = _upsert(Hub, {"slug": spec["slug"]},
                      {**{key: spec[key] for key in fields}, "author": author, "is_published": True})
        if not hub.hero_image:
            hub.hero_image.save(f"{hub.slug}.jpg", ContentFile(_hero_jpeg(seed=hub.order)), save=False)
            hub.hero_alt = "An abstract illustration: soft circles joined by thin lines, like connected neurons."
            hub.skip_history_when_saving = True
            hub.save()
            del hub.skip_history_when_saving
        hub.citations.all().delete()
        for order, key in enumerate(spec["references"]):
            HubCitation.objects.create(hub=hub, reference=references[key], order=order)
        # `faq_groups` ([(heading, [(question, answer)])]), or one group: `faq_heading` over `faqs`.
        hub.faqs.all().delete()
        hub.faq_groups.all().delete()
        groups = spec.get("faq_groups") or [(spec.get("faq_heading", ""), spec["faqs"])]
        for order, (heading, faqs) in enumerate(groups):
            self.load_faqs(hub.faq_groups.create(heading=heading, order=order).faqs, faqs, hub=hub)
        return hub

    def load_article(self, spec, author, reviewer, hubs, references):
        """A new article is written as a draft with its relations, then published as publishing works (the
        rules in Site settings hold); loading again updates its text and keeps its status and dates."""
        now = timezone.now()
        if spec["status"] == "scheduled":
            publish_at = now + timedelta(days=spec["days_ahead"])
        elif spec["status"] == Article.Status.PUBLISHED:
            publish_at = now - timedelta(days=spec["days_ago"])
        else:
            publish_at = None
        review = {"reviewer": None, "last_reviewed": None}
        if spec["reviewed"]:
            reviewed = now - timedelta(days=spec.get("reviewed_days_ago", spec.get("days_ago", 0)))
            review = {"reviewer": reviewer, "last_reviewed": reviewed.date()}
        created = not Article.objects.filter(slug=spec["slug"]).exists()
        article = _upsert(
            Article,
            {"slug": spec["slug"]},
            {
                **{key: spec[key] for key in ("title", "excerpt", "key_takeaways", "body")},
                "primary_hub": hubs[spec["hub"]],
                "author": author,
            },
            # Dates and status are set once, so running the command again does not move them.
            on_create={"publish_at": publish_at, "status": Article.Status.DRAFT, **review},
        )
        article.hubs.set([hubs[slug] for slug in spec.get("extra_hubs", [])])
        article.tags.set(spec["tags"])
        article.citations.all().delete()
        for order, key in enumerate(spec["references"]):
            ArticleCitation.objects.create(article=article, reference=references[key], order=order)
        self.load_faqs(article.faqs, spec["faqs"])
        if article.reviewer_id:  # the demo's review covers its text as loaded
            article.record_review()
        if spec.get("audio") and not article.audio_file:
            article.audio_file.save(f"{article.slug}.wav", ContentFile(_tone_wav(seconds=4)), save=False)
            article.audio_duration = timedelta(seconds=4)
        if created and publish_at:
            article.publish(at=publish_at)
        else:
            article.skip_history_when_saving = True
            article.save()
            del article.skip_history_when_saving

    def load_pages(self, hubs):
        """The standalone pages are Markdown files (demo/pages/), brought in by the importer as any library is; the
        menus and the privacy and terms links are set only where staff have set none."""
        sources, unreadable = collect([DEMO_FOLDER / "pages"])
        report = Importer().run(sources)
        if unreadable or report.failed:
            problems = [problem for _, problem in unreadable] + [outcome.problem for outcome in report.failed]
            raise CommandError(f"The demo pages could not be imported: {'; '.join(problems)}")
        pages = {page.slug: page for page in StandalonePage.objects.live_pages()}
        if not NavigationLink.objects.exists():
            header = [{"built_in": BuiltIn.TOPICS}, {"page": pages["about"], "label": "About"},
                      {"page": pages["approach"], "label": "Approach"},
                      {"built_in": BuiltIn.LATEST}, {"built_in": BuiltIn.STRATEGY_CALL}]
            footer = [*({"hub": hub} for hub in sorted(hubs.values(), key=lambda hub: hub.order)),
                      {"page": pages["about"]}, {"page": pages["approach"]},
                      {"built_in": BuiltIn.STRATEGY_CALL, "label": "Request a strategy call"}]
            for menu, links in ((Menu.HEADER, header), (Menu.FOOTER, footer)):
                for order, link in enumerate(links):
                    NavigationLink.objects.create(menu=menu, order=order, **link)
        site = SiteSettings.current()
        if not (site.privacy_page_id or site.terms_page_id):
            site.privacy_page, site.terms_page = pages["privacy-policy"], pages["terms"]
            site.save()

    def load_faqs(self, related_faqs, faqs, **parent):
        related_faqs.all().delete()
        for order, (question, answer) in enumerate(faqs):
            related_faqs.create(question=question, answer=answer, order=order, **parent)

    def ensure_demo_login(self):
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        self.stdout.write(f"Local demo login (DEBUG only): {DEMO_USERNAME} / {DEMO_PASSWORD}")


def _upsert(model, lookup, fields, on_create=None):
    """update_or_create that records a version only when the object is new: reloading the demo
    content is not an editorial change."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **fields, **(on_create or {}))
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.skip_history_when_saving = True
    obj.save()
    del obj.skip_history_when_saving
    return obj


def _hero_jpeg(seed, size=(1600, 640)):
    """An abstract hero picture — a soft gradient with linked circles — so demo pages show their images."""
    import random

    from PIL import Image, ImageDraw, ImageFilter

    palettes = [((11, 107, 102), (227, 241, 239)), ((40, 56, 92), (232, 236, 245)), ((161, 69, 31), (246, 235, 225))]
    dark, light = palettes[seed % len(palettes)]
    width, height = size
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    for x in range(width):
        mix = x / width
        shade = tuple(int(base + (ink - base) * mix * 0.55) for base, ink in zip(light, dark, strict=True))
        draw.line([(x, 0), (x, height)], fill=shade)
    rng = random.Random(seed)
    points = [(rng.randrange(width), rng.randrange(height)) for _ in range(22)]
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    ink = ImageDraw.Draw(overlay)
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        ink.line([(x1, y1), (x2, y2)], fill=(*dark, 70), width=3)
    for x, y in points:
        radius = rng.randrange(10, 46)
        ink.ellipse([x - radius, y - radius, x + radius, y + radius], fill=(*dark, 90), outline=(255, 255, 255, 160),
                    width=3)
    image = Image.alpha_composite(image.convert("RGBA"), overlay.filter(ImageFilter.GaussianBlur(1))).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def _tone_wav(seconds, rate=8000, pitch=220):
    """A short, quiet tone standing in for a narrated audio version."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        fade = rate // 4
        frames = bytearray()
        for i in range(seconds * rate):
            envelope = min(1.0, i / fade, (seconds * rate - i) / fade)
            frames.append(128 + int(40 * envelope * math.sin(2 * math.pi * pitch * i / rate)))
        out.writeframes(bytes(frames))
    return buffer.getvalue()
