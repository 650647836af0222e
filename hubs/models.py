from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from mindlab import jsonld, search
from mindlab.markdown import render
from mindlab.models import Page, PageQuerySet

# Rendered from the templates when what they show changes (articles/pages.py), never per request.
FRAGMENT_FIELDS = ["head_html", "header_html", "byline_html", "toc_html", "lead_html", "extras_html",
                   "related_hubs_html", "structured_data"]
LISTING_FIELDS = ["listing", "listing_count", "listing_until"]
ARTICLES_PER_PAGE = 12


class HubQuerySet(PageQuerySet):
    def published(self, at=None):
        """Hubs have no schedule: `at` is taken for the same call as articles' and changes nothing."""
        return self.filter(is_published=True)

    def for_cards(self):
        return self.only("title", "slug", "tagline", "pillar_label", "order", "listing_count", "listing_until")

    def cards_with_counts(self):
        """These hubs as cards, each with `article_count` (as `with_article_counts()` would count it).

        Each hub stores its count with its first page of cards (articles/pages.py); building the counting
        subqueries cost Django more Python than the rest of the home page. Only hubs whose stored count no
        longer holds (one of their articles has appeared or expired since) are counted, in one more query.
        """
        hubs = list(self.for_cards())
        stale = [hub.pk for hub in hubs if not hub.listing_holds()]
        counted = dict(
            self.model.objects.filter(pk__in=stale).with_article_counts().values_list("pk", "article_count")
        ) if stale else {}
        for hub in hubs:
            hub.article_count = counted.get(hub.pk, hub.listing_count)
        return hubs

    def for_page(self):
        """One hub's public page: the stored blocks, and the columns the page template reads besides."""
        return self.only(
            "title", "slug", "is_published", "is_sensitive", "hero_image", "hero_alt", "hero_width", "hero_height",
            "hero_renditions", "body_html", *FRAGMENT_FIELDS, *LISTING_FIELDS,
        )

    def for_rendering(self):
        """Everything the stored blocks show, fetched for many hubs at once."""
        return self.select_related("author").prefetch_related(
            "faqs", "author__credentials", models.Prefetch("related_hubs", queryset=self.model.objects.published()),
            models.Prefetch("citations", queryset=HubCitation.objects.select_related("reference")),
        )

    def search(self, query):
        return search.search(
            self.published(),
            query,
            {"A": ["title"], "B": ["tagline", "key_takeaways"], "C": ["body_text"]},
            snippet_field="body_text",
        )

    def with_article_counts(self):
        """Annotate `article_count`: published articles whose primary or further hub this is."""
        article_model = self.model.primary_articles.rel.related_model
        further_hub = article_model.hubs.through.objects.filter(hub=OuterRef(OuterRef("pk"))).values("article")
        published = article_model.objects.published().order_by()
        # Two disjoint counts, not one with OR: each is answered from an index.
        primary = published.filter(primary_hub=OuterRef("pk"))
        further = published.filter(pk__in=further_hub).exclude(primary_hub=OuterRef("pk"))
        return self.annotate(
            article_count=Coalesce(Subquery(primary.values(n=Func(F("pk"), function="COUNT"))), 0)
            + Coalesce(Subquery(further.values(n=Func(F("pk"), function="COUNT"))), 0)
        )


class Hub(Page):
    """A pillar page: a long essay on one topic that gathers the articles about it."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    tagline = models.CharField(max_length=300, blank=True, help_text="One sentence under the title and on hub cards.")
    pillar_label = models.CharField(
        max_length=120, blank=True, help_text='Optional, e.g. "Pillar 5 — Neural Recalibration".'
    )
    intro = models.TextField(blank=True, help_text="Opening paragraphs in Markdown.")
    intro_html = models.TextField(blank=True, editable=False)
    body = models.TextField(blank=True, help_text="The pillar essay in Markdown. Each ## heading joins the contents.")
    body_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    head_html = models.TextField(blank=True, editable=False)
    header_html = models.TextField(blank=True, editable=False)
    byline_html = models.TextField(blank=True, editable=False)
    toc_html = models.TextField(blank=True, editable=False)
    lead_html = models.TextField(blank=True, editable=False)
    extras_html = models.TextField(blank=True, editable=False)
    related_hubs_html = models.TextField(blank=True, editable=False)
    # The first page of the hub's article list, as it stands until its next scheduled change (articles/pages.py).
    listing = models.JSONField(default=list, blank=True, editable=False)
    listing_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    listing_until = models.DateTimeField(null=True, blank=True, editable=False)
    structured_data = models.TextField(blank=True, editable=False)
    author = models.ForeignKey(
        "authors.Author", on_delete=models.PROTECT, null=True, blank=True, related_name="hubs",
        help_text="Shown in the author card at the foot of the hub.",
    )
    faq_heading = models.CharField(
        "FAQ heading", max_length=200, blank=True,
        help_text='e.g. "Key Questions Executives Ask About Depression & Drive". '
        'Defaults to "Frequently asked questions".',
    )
    related_hubs = models.ManyToManyField("self", blank=True)
    references = models.ManyToManyField("references.Reference", through="HubCitation", blank=True, related_name="hubs")
    is_sensitive = models.BooleanField(
        "sensitive topic", default=False, help_text="Show the crisis notice on this hub and all of its articles."
    )
    order = models.PositiveSmallIntegerField("display order", default=0, help_text="Lower numbers come first.")
    is_published = models.BooleanField("published", default=False)

    objects = HubQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector", *FRAGMENT_FIELDS, *LISTING_FIELDS])
    visibility_fields = ("is_published",)
    fragment_fields = FRAGMENT_FIELDS
    # What its articles' stored blocks show of it: the eyebrow and breadcrumbs, and the crisis notice.
    shown_elsewhere = ["title", "slug", "is_sensitive"]

    class Meta:
        ordering = ["order", "title"]
        permissions = [("publish_hub", "Can publish hubs")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("hubs:detail", args=[self.slug])

    def stored_listing(self):
        """(first page of card HTML, article count) while no article of the hub has appeared or expired since
        they were stored; None otherwise, and the view lists live."""
        return (self.listing, self.listing_count) if self.listing_holds() else None

    def listing_holds(self):
        """Whether the stored list and count are still exact: stored, and no article of the hub has appeared or
        expired since."""
        return self.listing_count is not None and not (self.listing_until and timezone.now() >= self.listing_until)

    @property
    def articles(self):
        """Published articles of this hub, newest first."""
        return self.primary_articles.model.objects.published().in_hub(self)

    def derive(self):
        """The rendered intro and body, their plain text and the contents, stored on save."""
        intro, body = render(self.intro), render(self.body)
        self.intro_html = intro.html
        self.body_html, self.toc, self.body_text = body.html, body.toc, f"{intro.text}\n\n{body.text}".strip()

    def render_fragments(self):
        """The head, header, byline, contents, intro and takeaways, the FAQs, references and author card, the
        related hubs and the structured data, rendered once.

        Reads the relations `for_rendering()` fetches.
        """
        citations, faqs = self.citations.all(), self.faqs.all()
        context = {"hub": self, "citations": citations, "faqs": faqs, "related_hubs": self.related_hubs.all(),
                   "site_name": settings.SITE_NAME}
        self.head_html = render_to_string("hubs/includes/page_head.html", context)
        self.header_html = render_to_string("hubs/includes/page_header.html", context)
        self.byline_html = render_to_string("hubs/includes/byline.html", context)
        self.toc_html = render_to_string("includes/toc.html", {"toc": self.toc, "noun": "guide"})
        self.lead_html = render_to_string("hubs/includes/lead.html", context)
        self.extras_html = render_to_string("hubs/includes/extras.html", context)
        self.related_hubs_html = render_to_string("hubs/includes/related_hubs.html", context)
        self.structured_data = jsonld.graph(
            jsonld.medical_page(
                self, headline=self.title, description=self.meta_description or self.tagline, writer=self.author,
                citations=citations,
            ),
            jsonld.faq_page(faqs),
            jsonld.breadcrumbs(("Home", "/"), (self.title, self.get_absolute_url())),
        )

    def search_texts(self):
        return {"A": self.title, "B": f"{self.tagline} {self.key_takeaways}", "C": self.body_text}


class HubCitation(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="citations")
    reference = models.ForeignKey("references.Reference", on_delete=models.PROTECT, related_name="hub_citations")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["hub", "reference"], name="unique_hub_citation")]

    def __str__(self):
        return str(self.reference)
