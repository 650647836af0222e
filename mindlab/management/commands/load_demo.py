import io
import math
import wave
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.models import Article, ArticleCitation
from authors.models import Author, Credential, FeaturedIn, ProfileLink
from faqs.models import FAQ
from hubs.models import Hub, HubCitation
from mindlab import demo_content
from references.models import Reference

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "mindlab-demo"  # A local login, created only when DEBUG is on.


class Command(BaseCommand):
    help = (
        "Load the demo hubs, articles, authors, references and FAQs. "
        "Safe to run again: it updates, never duplicates."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        authors = {spec["slug"]: self.load_author(spec) for spec in demo_content.AUTHORS}
        references = {key: self.load_reference(spec) for key, spec in demo_content.REFERENCES.items()}
        writer, reviewer = authors["sydney-ceruto"], authors["mindlab-clinical-review-team"]

        hubs = {spec["slug"]: self.load_hub(spec, writer, references) for spec in demo_content.HUBS}
        for first, second in demo_content.RELATED_HUBS:
            hubs[first].related_hubs.add(hubs[second])

        for spec in demo_content.ARTICLES:
            self.load_article(spec, writer, reviewer, hubs, references)

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {Hub.objects.count()} hubs, {Article.objects.count()} articles, "
                f"{Author.objects.count()} authors, {Reference.objects.count()} references, {FAQ.objects.count()} FAQs."
            )
        )
        if settings.DEBUG:
            self.ensure_demo_login()

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
            "title", "tagline", "pillar_label", "order", "is_sensitive", "faq_heading", "meta_description",
            "key_takeaways", "intro", "body",
        )
        hub = _upsert(Hub, {"slug": spec["slug"]},
                      {**{key: spec[key] for key in fields}, "author": author, "is_published": True})
        hub.citations.all().delete()
        for order, key in enumerate(spec["references"]):
            HubCitation.objects.create(hub=hub, reference=references[key], order=order)
        self.load_faqs(hub.faqs, spec["faqs"])
        return hub

    def load_article(self, spec, author, reviewer, hubs, references):
        now = timezone.now()
        status = Article.Status.PUBLISHED if spec["status"] == "scheduled" else spec["status"]
        if spec["status"] == "scheduled":
            publish_at = now + timedelta(days=spec["days_ahead"])
        elif status == Article.Status.PUBLISHED:
            publish_at = now - timedelta(days=spec["days_ago"])
        else:
            publish_at = None
        review = {"reviewer": None, "last_reviewed": None}
        if spec["reviewed"]:
            review = {"reviewer": reviewer, "last_reviewed": (publish_at or now).date()}
        article = _upsert(
            Article,
            {"slug": spec["slug"]},
            {
                **{key: spec[key] for key in ("title", "excerpt", "key_takeaways", "body")},
                "primary_hub": hubs[spec["hub"]],
                "author": author,
                "status": status,
            },
            # Dates are set once, so running the command again does not move them.
            on_create={"publish_at": publish_at, **review},
        )
        article.hubs.set([hubs[slug] for slug in spec.get("extra_hubs", [])])
        article.tags.set(spec["tags"])
        article.citations.all().delete()
        for order, key in enumerate(spec["references"]):
            ArticleCitation.objects.create(article=article, reference=references[key], order=order)
        self.load_faqs(article.faqs, spec["faqs"])
        if spec.get("audio") and not article.audio_file:
            article.audio_file.save(f"{article.slug}.wav", ContentFile(_tone_wav(seconds=4)), save=False)
            article.audio_duration = timedelta(seconds=4)
            article.skip_history_when_saving = True
            article.save()
            del article.skip_history_when_saving

    def load_faqs(self, related_faqs, faqs):
        related_faqs.all().delete()
        for order, (question, answer) in enumerate(faqs):
            related_faqs.create(question=question, answer=answer, order=order)

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
