import hashlib
import json
import re
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, Func, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from mindlab import jsonld, search
from mindlab.markdown import reading_minutes, render
from mindlab.models import (
    ContentQuerySet,
    DisclaimerPosition,
    HttpsURLField,
    Page,
    PageQuerySet,
    SiteSettings,
    Status,
    VersionedLists,
)
from mindlab.uploads import GeneratedName, validate_audio

REVIEW_DUE_SOON_DAYS = 30
RELATED_LIMIT = 6
# The text a medical review vouches for: change any of it and the "Medically reviewed" line goes until a new
# review is recorded. The FAQs (question and answer) and the cited references, in order, count too.
REVIEWED_FIELDS = ("title", "excerpt", "key_takeaways", "body", "disclaimer")
# What the article list and its filter call each state: the status, with a published article's time told apart.
STATES = [
    ("draft", "Draft"), ("review", "In review"), ("changes", "Changes requested"), ("scheduled", "Scheduled"),
    ("published", "Published"), ("expired", "Expired"),
]
LIVE_ONLY = {"draft_of__isnull": True}  # pages can link to pages, never to a pending revision


def review_fingerprint(fields, faqs, references):
    """A digest of the reviewed text: `fields` maps REVIEWED_FIELDS to text, `faqs` is [(question, answer)] and
    `references` the cited reference ids, both in page order. Pure, so a migration can use it too."""
    def plain(text):  # a line ending is no word: a browser's CR LF and a file's LF are the same text
        return (text or "").replace("\r\n", "\n")

    text = json.dumps([[plain(fields[name]) for name in REVIEWED_FIELDS],
                       [[plain(question), plain(answer)] for question, answer in faqs], list(references)])
    return hashlib.sha256(text.encode()).hexdigest()


def review_expires_at(review_due):
    """A review is valid through its due date and expired from the start of the next day (local time)."""
    return timezone.make_aware(datetime.combine(review_due + timedelta(days=1), time.min))


def add_months(day, months):
    """The same day `months` later, or the month's last day when it has no such day (Jan 31 → Feb 28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return min(date(year, month, 1) + timedelta(days=day.day - 1), next_month - timedelta(days=1))


CARD_FIELDS = [
    "title", "slug", "summary", "word_count", "reading_time_override", "publish_at", "updated", "content_updated",
    "status", "expire_at",
    "primary_hub__title", "primary_hub__slug", "author__name", "author__slug",
]


class ArticleQuerySet(PageQuerySet):
    def published(self, at=None):
        """The one definition of what the public may see: published, its time come, not yet expired.

        Visibility is decided by comparing with now (or `at`), so a scheduled article appears by itself.
        """
        now = at or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now).exclude(expire_at__lte=now)

    def next_visibility_change(self):
        """The next moment an article appears or expires: when cached pages must change by themselves. With
        Site settings' "last reviewed" line for expired reviews on, also the next moment a review expires (it
        changes that article's review line)."""
        now = timezone.now()
        upcoming = self.filter(status=Article.Status.PUBLISHED).aggregate(
            publish=models.Min("publish_at", filter=Q(publish_at__gt=now)),
            expire=models.Min("expire_at", filter=Q(expire_at__gt=now)),
            review_due=models.Min("review_due", filter=Q(review_due__gte=timezone.localdate())),
        )
        review_due = upcoming.pop("review_due")
        # getattr until the field exists (issue 15: the core branch adds it)
        if review_due and SiteSettings.current().show_last_review_when_expired:
            upcoming["review"] = review_expires_at(review_due)
        return min((moment for moment in upcoming.values() if moment), default=None)

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def expired(self):
        return self.filter(status=Article.Status.PUBLISHED, expire_at__lte=timezone.now())

    def in_state(self, state):
        """Articles in one of STATES: a status, or for a published one whether it is scheduled, live or expired."""
        return {"scheduled": self.scheduled, "expired": self.expired, "published": self.published}.get(
            state, lambda: self.in_status(state))()

    def with_state(self):
        """Annotate `state`, one of STATES' keys."""
        now = timezone.now()
        return self.annotate(state=Case(
            When(status=Article.Status.PUBLISHED, publish_at__gt=now, then=Value("scheduled")),
            When(status=Article.Status.PUBLISHED, expire_at__lte=now, then=Value("expired")),
            default=F("status"), output_field=models.CharField(),
        ))

    def review_overdue(self):
        """Published articles never reviewed, or whose review interval has run out."""
        return self.review_expired() | self.never_reviewed()

    def review_due_soon(self):
        today = timezone.localdate()
        return self.published().filter(review_due__gte=today, review_due__lte=today + timedelta(REVIEW_DUE_SOON_DAYS))

    # Review expiry (issue 15, queue): an expired review and no review at all are told apart on the dashboard.
    def review_expired(self):
        """Published articles whose review interval has run out: reviewed once, due before today."""
        return self.published().filter(review_due__lt=timezone.localdate())

    def never_reviewed(self):
        """Published articles with no medical review recorded."""
        return self.published().filter(review_due__isnull=True)

    def missing_alt_text(self):
        return self.filter((~Q(hero_image="") & Q(hero_alt="")) | Q(images_missing_alt__gt=0))

    def without_references(self):
        return self.filter(citations__isnull=True)

    def with_broken_links(self):
        """(article, [slugs]) for each article whose body links to an article the public cannot see."""
        live = set(self.model.objects.published().values_list("slug", flat=True))
        found = []
        for article in self.exclude(internal_links=[]).only("pk", "title", "slug", "status", "internal_links"):
            broken = [slug for slug in article.internal_links if slug not in live]
            if broken:
                found.append((article, broken))
        return found

    def search(self, query):
        return search.search(self.published(), query)

    def tagged(self, tag):
        return self.filter(pk__in=TaggedArticle.objects.filter(tag=tag).values("content_object"))

    def for_cards(self):
        """What a card shows: title, excerpt, hub, author, reading time, tags (one more query for the whole
        list) — and no long text columns."""
        return self.select_related("primary_hub", "author").only(*CARD_FIELDS).with_faq_words().prefetch_related("tags")

    def for_feature(self):
        """What a hub's featured card shows: a card's columns and the hero image, no tags."""
        hero = ["hero_image", "hero_alt", "hero_width", "hero_height", "hero_renditions"]
        return self.select_related("primary_hub", "author").only(*CARD_FIELDS, *hero).with_faq_words()

    def for_results(self):
        """What a search result shows: a card's columns and the text its snippet is cut from, no tags."""
        return self.select_related("primary_hub", "author").only(*CARD_FIELDS, "body_text").with_faq_words()

    def for_page(self):
        """One article's page: its row with its hubs and people. The rest (tags, citations, FAQs, related
        articles) is read by the template inside fragments cached on the content version."""
        return self.select_related("primary_hub", "author", "reviewer").with_faq_words()

    def with_faq_words(self):
        """Annotate `faq_words`, the words of each article's FAQs, for its reading time (`Article.reading_time`)."""
        faqs = self.model.faqs.rel.related_model.objects.filter(article=OuterRef("pk")).order_by().values("article")
        return self.annotate(faq_words=Coalesce(Subquery(faqs.annotate(n=models.Sum("word_count")).values("n")), 0))

    def related_to(self, article):
        """Published articles other than `article`: hand-picked first, then most shared tags, then same hub.

        One query; the rest of the list is the newest articles, so a short list still fills up.
        """
        article_tags = TaggedArticle.objects.filter(content_object=article.pk).values("tag")
        shared_tags = (
            TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=article_tags)
            .order_by()
            .values(n=Func(F("pk"), function="COUNT"))
        )
        picked = Article.related_articles.through.objects.filter(from_article=article.pk, to_article=OuterRef("pk"))
        ranking = {
            "is_picked": Exists(picked),
            "shared_tags": Coalesce(Subquery(shared_tags), 0),
            "in_same_hub": Case(When(self._in_hub_q(article.primary_hub_id), then=1), default=0),
        }
        order = ["-is_picked", "-shared_tags", "-in_same_hub", "-publish_at", "-pk"]
        # Rank on narrow columns (the visibility index) in a subquery; read whole rows for the winners only.
        top = Article.objects.published().exclude(pk=article.pk).annotate(**ranking).order_by(*order)
        return self.filter(pk__in=Subquery(top.values("pk")[:RELATED_LIMIT])).annotate(**ranking).order_by(*order)

    def in_hub(self, hub):
        return self.filter(self._in_hub_q(hub))

    @staticmethod
    def _in_hub_q(hub):
        further_hub = Article.hubs.through.objects.filter(hub=hub).values("article")
        return Q(primary_hub=hub) | Q(pk__in=further_hub)


class Tag(TagBase):
    # A tag page with fewer published articles is thin: noindex, and left out of the sitemap (docs/seo.md).
    MIN_ARTICLES_TO_INDEX = 2

    is_sensitive = models.BooleanField(
        "sensitive topic", default=False, help_text="Show the crisis notice on every article with this tag."
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def get_absolute_url(self):
        return reverse("tags:detail", args=[self.slug])


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    objects = ContentQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")]


class Article(Page):
    Status = Status

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    excerpt = models.TextField(
        max_length=400, blank=True,
        help_text="Shown on cards and under the title. Leave empty to use the opening of the body.",
    )
    body = models.TextField(
        help_text="Markdown. Use ## for question-style sections, - for lists and > for pull quotes."
    )
    body_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    summary = models.TextField(blank=True, editable=False, help_text="The excerpt, or the body's opening.")
    body_text = models.TextField(blank=True, editable=False)
    internal_links = models.JSONField(default=list, blank=True, editable=False)
    images_missing_alt = models.PositiveSmallIntegerField(default=0, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=0, editable=False)  # the body's alone
    reading_time_override = models.PositiveSmallIntegerField(
        "reading time (minutes)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text="Leave empty to count the body and the FAQs at 230 words a minute; fill in to say otherwise.",
    )

    audio_file = models.FileField(
        upload_to=GeneratedName("audio"), blank=True, validators=[validate_audio],
        help_text="An audio version of the article: MP3, M4A, OGG or WAV, at most 60 MB.",
    )
    audio_url = HttpsURLField("audio URL", blank=True, help_text="Or a link to an audio file hosted elsewhere.")
    audio_duration = models.DurationField(blank=True, null=True, help_text='Length of the audio, e.g. "00:12:30".')

    primary_hub = models.ForeignKey(
        "hubs.Hub", on_delete=models.PROTECT, related_name="primary_articles", limit_choices_to=LIVE_ONLY
    )
    hubs = models.ManyToManyField(
        "hubs.Hub", blank=True, related_name="secondary_articles", help_text="Further hubs that list this article.",
        limit_choices_to=LIVE_ONLY,
    )
    tags = TaggableManager(through=TaggedArticle, blank=True, help_text="Comma-separated keywords.")
    author = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="articles")
    reviewer = models.ForeignKey(
        "authors.Author", on_delete=models.PROTECT, null=True, blank=True, related_name="reviewed_articles",
        help_text="Who medically reviewed the article: a person or a clinical review team.",
    )
    last_reviewed = models.DateField(null=True, blank=True, help_text="Date of the latest medical review.")
    review_note = models.TextField(
        blank=True, help_text="What the reviewer checked or changed. Internal; not shown to readers."
    )
    review_interval_months = models.PositiveSmallIntegerField(
        "review every (months)", default=12, help_text="The article is due for a new medical review after this."
    )
    review_due = models.DateField(null=True, blank=True, editable=False, db_index=True)
    # The digest (review_fingerprint) of the text as it was when the review above was recorded.
    reviewed_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "publish date", null=True, blank=True, db_index=True,
        help_text="When the article goes public. A future time schedules it; empty means now when published.",
    )
    expire_at = models.DateTimeField(
        "expiry date", null=True, blank=True,
        help_text="Optional: the article is hidden from the public from this time on.",
    )
    disclaimer = models.TextField(
        blank=True, help_text="Replaces the site-wide disclaimer on this article. Leave empty to use the default."
    )
    disclaimer_position = models.CharField(
        max_length=4, choices=DisclaimerPosition.choices, blank=True,
        help_text="Where this article shows the disclaimer. Leave empty for the site's default (Site settings).",
    )
    related_articles = models.ManyToManyField(
        "self", symmetrical=False, blank=True, limit_choices_to=LIVE_ONLY,
        help_text="Hand-picked related articles, shown before the automatic ones.",
    )
    references = models.ManyToManyField(
        "references.Reference", through="ArticleCitation", blank=True, related_name="articles"
    )

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector"], bases=[VersionedLists])  # with its lists
    visibility_fields = ("status", "publish_at", "expire_at")
    credited_fields = ("author", "reviewer")
    revision_m2m = ("tags", "hubs", "related_articles")
    restore_kept_fields = ("reviewed_fingerprint",)
    stored_fields = ("reviewer", "last_reviewed", "reviewed_fingerprint")
    can_schedule = True

    class Meta:
        ordering = ["-publish_at", "-pk"]
        indexes = [
            # Covers published() and the hub/author filters, so lists and counts never read the wide rows
            # (SQLite keeps the long text columns in overflow pages; reaching a later column means reading them).
            models.Index(fields=["status", "publish_at", "expire_at", "primary_hub", "author"],
                         name="article_visibility_idx"),
        ]
        permissions = [
            ("publish_article", "Can publish articles"),
            ("review_article", "Can record the medical review"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="published_article_has_publish_date",
                violation_error_message="A published article needs a publish date.",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True, last_reviewed__isnull=True)
                | Q(reviewer__isnull=False, last_reviewed__isnull=False),
                name="review_has_reviewer_and_date",
                violation_error_message="A medical review needs both the reviewer and the review date.",
            ),
            models.CheckConstraint(
                condition=Q(expire_at__isnull=True) | Q(publish_at__isnull=True) | Q(expire_at__gt=F("publish_at")),
                name="article_expires_after_publishing",
                violation_error_message="The expiry date must come after the publish date.",
            ),
            models.CheckConstraint(
                condition=Q(audio_file="") | Q(audio_url=""),
                name="audio_file_or_url",
                violation_error_message="Give the audio as a file or as a URL, not both.",
            ),
            models.CheckConstraint(
                condition=Q(draft_of__isnull=True) | ~Q(status="published"),
                name="article_revision_never_published",
                violation_error_message="A pending revision is never published: approve it instead.",
            ),
            models.UniqueConstraint(
                fields=["draft_of"], name="one_revision_per_article",
                violation_error_message="This article already has a pending revision.",
            ),
        ]

    def __str__(self):
        return f"{self.title} (revision)" if self.draft_of_id else self.title

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    @property
    def is_published(self):
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.expire_at is None or self.expire_at > now)
        )

    @property
    def review_is_expired(self):
        """The review interval has run out (see `review_expires_at`); never reviewed is not expired."""
        return self.review_due is not None and self.review_due < timezone.localdate()

    @property
    def first_published(self):
        return self.publish_at

    @property
    def fallback_description(self):
        return self.summary

    @property
    def reading_time(self):
        """Minutes to read what a reader reads, the body and the FAQs (questions and answers), unless the editor
        says otherwise (`reading_time_override`). The FAQs' words come from `with_faq_words()` when the queryset
        annotated them, else from the page's FAQs."""
        if self.reading_time_override:
            return self.reading_time_override
        faq_words = getattr(self, "faq_words", None)
        if faq_words is None:
            faq_words = sum(faq.word_count for faq in self.faq_list)
        return reading_minutes(self.word_count + faq_words)

    @property
    def byline_names_reviewer(self):
        """Whether the byline says "Written and medically reviewed by": the author reviewed it (a team, say),
        so one name is never shown twice."""
        return bool(self.reviewer_id and self.reviewer_id == self.author_id)

    @property
    def audio_src(self):
        return self.audio_file.url if self.audio_file else self.audio_url

    def clean(self):
        super().clean()
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        if self.reviewer_id and self.reviewer_id == self.author_id and self.reviewer.kind == "person":
            raise ValidationError({"reviewer": "A person cannot medically review their own article."})
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            raise ValidationError({"last_reviewed": "A review date cannot be in the future."})

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        super().save(*args, **kwargs)

    # The workflow (see Page): how an article keeps its status, and its publishing rules.

    @property
    def workflow_status(self):
        return self.status

    def set_workflow_status(self, status):
        self.status = status

    @classmethod
    def status_q(cls, status):
        return Q(status=status)

    def make_public(self, at=None):
        now = timezone.now()
        if at is not None:
            self.publish_at = at
        elif self.publish_at is None or self.publish_at > now:
            self.publish_at = now  # public now; a publish date already past (a live article's first) is kept
        self.status = self.Status.PUBLISHED

    @property
    def state(self):
        """One of STATES' keys: the status, with a published article's time told apart."""
        now = timezone.now()
        if self.status != self.Status.PUBLISHED:
            return self.status
        if self.publish_at and self.publish_at > now:
            return "scheduled"
        return "expired" if self.expire_at and self.expire_at <= now else "published"

    def get_state_display(self):
        return dict(STATES)[self.state]

    def publishing_problems(self, citations=None):
        """What stops this article from being published, as {field: message}, by the rules in Site settings:
        a recorded medical review of its current text, and at least one reference. `citations` is the number
        of references when the caller knows better than the database (a form whose citations are not saved
        yet); the text is then compared when the form is saved."""
        rules = SiteSettings.current()
        problems = {}
        if rules.require_medical_review:
            if not (self.reviewer_id and self.last_reviewed):
                problems["reviewer"] = "Record the medical review (reviewer and date) before publishing."
            elif citations is None and not self.review_matches(self.stored_fingerprint()):
                problems["last_reviewed"] = (
                    f"The text has changed since the review of {self.last_reviewed:%B} {self.last_reviewed.day}, "
                    f"{self.last_reviewed.year}: record the review of this text (reviewer and date)."
                )
        if rules.require_reference:
            count = citations if citations is not None else (self.citations.count() if self.pk else 0)
            if not count:
                problems["citations"] = "Cite at least one reference before publishing."
        return problems

    def check_before_save(self, stored):
        """Keep the review record honest and refuse to publish what the rules forbid, whatever the path.

        A save that changes the review record (reviewer or date) without naming the text it reviewed records
        it for the text being saved. Saving an article as published when it was not is publishing: refused,
        with the problems by field, if `publishing_problems()` has any.
        """
        record = (self.reviewer_id, self.last_reviewed)
        if stored is None:
            if self.reviewer_id and not self.reviewed_fingerprint:
                self.reviewed_fingerprint = self.stored_fingerprint()
        elif record != (stored.reviewer_id, stored.last_reviewed) and (
                self.reviewed_fingerprint == stored.reviewed_fingerprint):
            self.reviewed_fingerprint = self.stored_fingerprint() if self.reviewer_id else ""
        if self.status == self.Status.PUBLISHED and (stored is None or stored.status != self.Status.PUBLISHED):
            problems = self.publishing_problems()
            if problems:
                raise ValidationError(problems)

    def stored_fingerprint(self):
        """The digest of this article's text: its fields as they are now, its FAQs and citations as stored."""
        if not self.pk:
            return review_fingerprint({name: getattr(self, name) for name in REVIEWED_FIELDS}, [], [])
        return self.fingerprint(self.faqs.all(), self.citations.all())

    def fingerprint(self, faqs, citations):
        return review_fingerprint({name: getattr(self, name) for name in REVIEWED_FIELDS},
                                  [(faq.question, faq.answer) for faq in faqs],
                                  [citation.reference_id for citation in citations])

    def review_matches(self, fingerprint):
        return bool(self.reviewer_id and self.last_reviewed and self.reviewed_fingerprint == fingerprint)

    @property
    def review_is_current(self):
        """Whether the recorded medical review is of the text readers see: only then is it shown."""
        return self.review_matches(self.fingerprint(self.faq_list, self.citation_list))

    def record_review(self, reviewer=None, on=None):
        """Record that `reviewer` (else the recorded one) reviewed the text as it is now stored, `on` a day (else
        the recorded one). Sets the fields; the caller saves."""
        if reviewer is not None:
            self.reviewer = reviewer
        if on is not None:
            self.last_reviewed = on
        self.reviewed_fingerprint = self.stored_fingerprint()

    def derive(self):
        """Everything computed from the content, stored so no request has to compute it."""
        body = render(self.body)
        self.body_html, self.toc, self.body_text = body.html, body.toc, body.text
        self.word_count, self.reading_minutes = body.word_count, body.reading_minutes
        self.summary = " ".join(self.excerpt.split()) or body.excerpt()
        self.images_missing_alt = body.images_without_alt
        article_link = rf'href="(?:{re.escape(settings.SITE_URL)})?/articles/([\w-]+)/'
        self.internal_links = sorted(set(re.findall(article_link, self.body_html)))
        self.review_due = add_months(self.last_reviewed, self.review_interval_months) if self.last_reviewed else None

    # What the page shows besides its own row, each read once per rendering (and not at all while the
    # fragments that show it are cached).

    @cached_property
    def tag_list(self):
        return list(self.tags.all())

    def related(self):
        """The related list's cards (`related_to()`): built only when its cached fragment is missing."""
        return Article.objects.related_to(self).for_cards()

    @property
    def shows_crisis_notice(self):
        return self.primary_hub.is_sensitive or any(tag.is_sensitive for tag in self.tag_list)

    def structured_data(self, site=None):
        hub = self.primary_hub
        self.people  # noqa: B018 (their credentials, fetched together, for the author and reviewer nodes)
        reviewed = self.review_is_current
        site = site or jsonld.site_settings()
        work = jsonld.article(self, writer=self.author, hub=hub, tags=self.tag_list, citations=self.citation_list,
                              site=site)
        return jsonld.graph(
            jsonld.medical_page(
                self, headline=self.title, description=self.search_description, writer=self.author,
                citations=self.citation_list, date_published=self.publish_at,
                reviewer=self.reviewer if reviewed else None, last_reviewed=self.last_reviewed if reviewed else None,
                main_entity=work, site=site,
            ),
            work,
            jsonld.faq_page(self.faq_list),
            jsonld.breadcrumbs(
                ("Home", "/"), (hub.title, hub.get_absolute_url()), (self.title, self.get_absolute_url())
            ),
        )

    def search_texts(self):
        return {
            "A": self.title,
            "B": " ".join([self.summary, self.key_takeaways, *(tag.name for tag in self.tags.all())]),
            "C": self.body_text,
        }


class ArticleCitation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    reference = models.ForeignKey("references.Reference", on_delete=models.PROTECT, related_name="article_citations")
    order = models.PositiveSmallIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["article", "reference"], name="unique_article_citation")]

    def __str__(self):
        return str(self.reference)
