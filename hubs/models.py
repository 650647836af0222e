from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from mindlab import jsonld, search
from mindlab.markdown import render
from mindlab.models import ContentQuerySet, Page, PageQuerySet, Status, VersionedLists

ARTICLES_PER_PAGE = 12


class HubQuerySet(PageQuerySet):
    def published(self, at=None):
        """Hubs have no schedule: `at` is taken for the same call as articles' and changes nothing."""
        return self.filter(is_published=True)

    def for_cards(self):
        """What a hub card shows, with `article_count`."""
        return self.only("title", "slug", "tagline", "pillar_label", "order").with_article_counts()

    def for_page(self):
        """One hub's page: its row and its author. The rest (FAQs, references, related hubs) is read by the
        template inside fragments cached on the content version; its article list per request."""
        return self.select_related("author", "reviewer")

    def for_results(self):
        """What a search result shows: the title, the address and the text its snippet is cut from."""
        return self.only("title", "slug", "body_text")

    def search(self, query):
        return search.search(self.published(), query)

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
    author = models.ForeignKey(
        "authors.Author", on_delete=models.PROTECT, null=True, blank=True, related_name="hubs",
        help_text="Shown in the author card at the foot of the hub.",
    )
    reviewer = models.ForeignKey(
        "authors.Author", on_delete=models.PROTECT, null=True, blank=True, related_name="reviewed_hubs",
        help_text="Who medically reviewed the hub: a person or a clinical review team. Shown with the date.",
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="Date of the latest medical review; the review line shows with a reviewer."
    )
    featured_article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        limit_choices_to={"draft_of__isnull": True},
        help_text="Shown as a card above the hub's title while the article is published.",
    )
    # Not carried by a pending revision: the link is symmetrical, so a revision's copy would show on other hubs.
    related_hubs = models.ManyToManyField("self", blank=True, limit_choices_to={"draft_of__isnull": True})
    references = models.ManyToManyField("references.Reference", through="HubCitation", blank=True, related_name="hubs")
    is_sensitive = models.BooleanField(
        "sensitive topic", default=False, help_text="Show the crisis notice on this hub and all of its articles."
    )
    order = models.PositiveSmallIntegerField("display order", default=0, help_text="Lower numbers come first.")
    is_published = models.BooleanField("published", default=False)
    review_state = models.CharField(
        max_length=10, default=Status.DRAFT, editable=False,
        choices=[choice for choice in Status.choices if choice[0] != Status.PUBLISHED],
        help_text="Where an unpublished hub, or a pending revision, is in the review workflow.",
    )

    objects = HubQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector"], bases=[VersionedLists])  # with its lists
    visibility_fields = ("is_published", "review_state")
    credited_fields = ("author", "reviewer")
    live_edit_fields = ("order",)
    revision_children = ("citations", "faq_groups", "faqs")  # groups before their FAQs: a copy points at its group
    list_labels = {**Page.list_labels, "faq_groups": "FAQ groups"}

    class Meta:
        ordering = ["order", "title"]
        permissions = [("publish_hub", "Can publish hubs")]
        constraints = [
            models.CheckConstraint(
                condition=Q(draft_of__isnull=True) | Q(is_published=False),
                name="hub_revision_never_published",
                violation_error_message="A pending revision is never published: approve it instead.",
            ),
            models.UniqueConstraint(
                fields=["draft_of"], name="one_revision_per_hub",
                violation_error_message="This hub already has a pending revision.",
            ),
        ]

    def __str__(self):
        return f"{self.title} (revision)" if self.draft_of_id else self.title

    # The workflow (see Page): a hub is public while `is_published`; until then `review_state` says where it is.

    @property
    def workflow_status(self):
        return Status.PUBLISHED if self.is_published else self.review_state

    def set_workflow_status(self, status):
        self.is_published = status == Status.PUBLISHED
        if not self.is_published:
            self.review_state = status

    @classmethod
    def status_q(cls, status):
        return Q(is_published=True) if status == Status.PUBLISHED else Q(is_published=False, review_state=status)

    def make_public(self, at=None):
        self.is_published = True

    def get_state_display(self):
        return Status(self.workflow_status).label

    def get_absolute_url(self):
        return reverse("hubs:detail", args=[self.slug])

    @property
    def fallback_description(self):
        return self.tagline

    @property
    def articles(self):
        """Published articles of this hub, newest first."""
        return self.primary_articles.model.objects.published().in_hub(self)

    def derive(self):
        """The rendered intro and body, their plain text and the contents, stored on save."""
        intro, body = render(self.intro), render(self.body)
        self.intro_html = intro.html
        self.body_html, self.toc, self.body_text = body.html, body.toc, f"{intro.text}\n\n{body.text}".strip()

    # What the page shows besides its own row and its articles, each read once per rendering (and not at all
    # while the fragments that show it are cached).

    @cached_property
    def related_hub_list(self):
        """Related hubs the public can see: a hub unpublished or deleted is gone from the list at once."""
        return list(self.related_hubs.published().only("title", "slug"))

    @cached_property
    def faq_list(self):
        """Every FAQ of the hub in reading order (its groups in order, each group's FAQs in order): one query."""
        return list(self.faqs.select_related("group"))

    @cached_property
    def faq_group_list(self):
        """[(heading, [faq, ...])] for each group with questions, from `faq_list` (no query of its own)."""
        groups = {}
        for faq in self.faq_list:
            groups.setdefault(faq.group_id, (str(faq.group) if faq.group else "", []))[1].append(faq)
        return list(groups.values())

    @cached_property
    def featured(self):
        """The featured article's card, while `published()` says the public may see it; else None."""
        if not self.featured_article_id:
            return None
        articles = self.primary_articles.model.objects.published().for_feature()
        return articles.filter(pk=self.featured_article_id).first()

    @classmethod
    def featured_choices(cls, hub=None):
        """What the admin offers as `hub`'s featured article: the published articles of the hub (a revision's: of
        its live page), and the one chosen now, if it has since been unpublished (readers do not see it)."""
        articles = cls._meta.get_field("featured_article").related_model.objects
        if hub is None or hub.pk is None:
            return articles.none()
        live = hub.draft_of or hub
        return articles.filter(Q(pk__in=live.articles.values("pk")) | Q(pk=hub.featured_article_id))

    def structured_data(self, site=None):
        self.people  # noqa: B018 (the author's and reviewer's credentials, for their nodes)
        return jsonld.graph(
            jsonld.medical_page(
                self, headline=self.title, description=self.search_description, writer=self.author,
                citations=self.citation_list, reviewer=self.reviewer, last_reviewed=self.last_reviewed, site=site,
            ),
            jsonld.faq_page(self.faq_list),
            jsonld.breadcrumbs(("Home", "/"), (self.title, self.get_absolute_url())),
        )

    def search_texts(self):
        return {"A": self.title, "B": f"{self.tagline} {self.key_takeaways}", "C": self.body_text}


class HubCitation(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="citations")
    reference = models.ForeignKey("references.Reference", on_delete=models.PROTECT, related_name="hub_citations")
    order = models.PositiveSmallIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["hub", "reference"], name="unique_hub_citation")]

    def __str__(self):
        return str(self.reference)
