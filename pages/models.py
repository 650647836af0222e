import re
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import Resolver404, resolve, reverse
from simple_history.models import HistoricalRecords

from mindlab import jsonld
from mindlab.markdown import render
from mindlab.models import ContentQuerySet, HttpsURLField, PageQuerySet, Status, VersionedLists
from mindlab.models import Page as BasePage


class PageQuerySet(PageQuerySet):
    def published(self, at=None):
        """Pages have no schedule: `at` is taken for the same call as articles' and changes nothing."""
        return self.filter(is_published=True)

    def for_page(self):
        return self


def address_taken(slug):
    """Why a page cannot have this slug: its address /slug/ (or a path below it) belongs to another part of the
    site, whose route comes first. Asked of the URL configuration itself, so a route added later is known too;
    static files and uploads are served before any route."""
    own = reverse("pages:detail", args=[slug])
    taken = f"The address /{slug}/ belongs to another part of the site: choose another slug."
    if any(url.startswith("/") and own.startswith(url) for url in (settings.STATIC_URL, settings.MEDIA_URL)):
        return taken
    if slug in route_prefixes():  # /feeds/ leads nowhere itself, but /feeds/rss/ is the feed's
        return taken
    for path in (f"/{slug}", own, f"{own}x/", f"{own}x"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if match.view_name != "pages:detail":
            return taken
    return None


def route_prefixes():
    """The first path segment of each route of the site's URL configuration, but the pages' own."""
    prefixes = set()
    for entry in import_module(settings.ROOT_URLCONF).urlpatterns:
        if getattr(entry, "app_name", None) == "pages":
            continue
        match = re.match(r"\^?([-\w.]+)", str(entry.pattern))
        if match:
            prefixes.add(match.group(1))
    return prefixes


class Page(BasePage):
    """A standalone page of the practice's site (About, Approach, Privacy policy, Terms): Markdown at /slug/.

    It goes through the same workflow as hubs (an Editor drafts and submits, a Reviewer publishes; versions and
    restore), without a medical review: legal pages and the practice's own description are no medical content,
    but they are commitments readers rely on, so a second person approves what goes public.
    """

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True,
        help_text="The page's address: /slug/. An address another part of the site uses is refused.",
    )
    body = models.TextField(blank=True, help_text="The page in Markdown. Each ## heading joins the contents.")
    body_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    summary = models.TextField(
        blank=True, editable=False, help_text="The body's opening: the meta description when none is written.")
    is_published = models.BooleanField("published", default=False)
    review_state = models.CharField(
        max_length=10, default=Status.DRAFT, editable=False,
        choices=[choice for choice in Status.choices if choice[0] != Status.PUBLISHED],
        help_text="Where an unpublished page, or a pending revision, is in the review workflow.",
    )

    objects = PageQuerySet.as_manager()
    history = HistoricalRecords(bases=[VersionedLists])
    visibility_fields = ("is_published", "review_state")
    revision_children = ()
    list_labels = {}

    class Meta:
        ordering = ["title"]
        permissions = [("publish_page", "Can publish pages")]
        constraints = [
            models.CheckConstraint(
                condition=Q(draft_of__isnull=True) | Q(is_published=False),
                name="page_revision_never_published",
                violation_error_message="A pending revision is never published: approve it instead.",
            ),
            models.UniqueConstraint(
                fields=["draft_of"], name="one_revision_per_page",
                violation_error_message="This page already has a pending revision.",
            ),
        ]

    def __str__(self):
        return f"{self.title} (revision)" if self.draft_of_id else self.title

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
        return reverse("pages:detail", args=[self.slug])

    def clean(self):
        super().clean()
        problem = self.slug and not self.draft_of_id and address_taken(self.slug)
        if problem:
            raise ValidationError({"slug": problem})

    def suggested_slug(self):
        slug = super().suggested_slug()
        return slug if not address_taken(slug) else f"{slug}-page"

    @property
    def fallback_description(self):
        return self.summary

    def derive(self):
        body = render(self.body)
        self.body_html, self.toc, self.body_text = body.html, body.toc, body.text
        self.summary = body.excerpt(words=30)

    def update_search_vector(self):
        """Standalone pages are not part of the library's search (articles and hubs)."""

    def structured_data(self):
        return jsonld.graph(
            jsonld.web_page(self, name=self.title, description=self.search_description),
            jsonld.breadcrumbs(("Home", "/"), (self.title, self.get_absolute_url())),
        )


class Menu(models.TextChoices):
    HEADER = "header", "Header"
    FOOTER = "footer", "Footer"


class BuiltIn(models.TextChoices):
    """Pages of the site that are no rows: their label and address."""

    HOME = "home", "Home"
    TOPICS = "topics", "Topics (the home page's list of hubs)"
    LATEST = "latest", "Latest (the home page's newest articles)"
    STRATEGY_CALL = "strategy_call", "Strategy call"
    SEARCH = "search", "Search"


BUILT_IN_LINKS = {  # value: (label, URL name, fragment)
    BuiltIn.HOME: ("Home", "home", ""),
    BuiltIn.TOPICS: ("Topics", "home", "#topics"),
    BuiltIn.LATEST: ("Latest", "home", "#latest"),
    BuiltIn.STRATEGY_CALL: ("Strategy call", "strategy_calls:request", ""),
    BuiltIn.SEARCH: ("Search", "search", ""),
}
# What the header shows while no header link is configured (the site's links before navigation was editable).
DEFAULT_HEADER = (BuiltIn.TOPICS, BuiltIn.LATEST, BuiltIn.STRATEGY_CALL)


class NavigationLinkQuerySet(ContentQuerySet):
    def visible(self):
        """Links whose target the public can see: a hub or page that is unpublished (or deleted) drops out."""
        hubs = self.model._meta.get_field("hub").related_model.objects.published()
        return self.filter(
            (Q(hub__isnull=True) | Q(hub__in=hubs.values("pk")))
            & (Q(page__isnull=True) | Q(page__in=Page.objects.published().values("pk")))
        )

    def menus(self):
        """{"header": [Link], "footer": [Link]} in order, in one query; the header falls back to DEFAULT_HEADER."""
        menus = {menu: [] for menu in Menu.values}
        rows = self.visible().select_related("hub", "page").only(
            "menu", "order", "label", "built_in", "url", "hub__title", "hub__slug", "page__title", "page__slug")
        for row in rows.order_by("menu", "order", "pk"):
            menus[row.menu].append(row.link())
        if not menus[Menu.HEADER]:
            menus[Menu.HEADER] = [NavigationLink(built_in=name).link() for name in DEFAULT_HEADER]
        return menus


class NavigationLink(models.Model):
    """One link of the header or footer menu: to a hub, a standalone page, a page of the site or any address."""

    menu = models.CharField(max_length=6, choices=Menu.choices, default=Menu.HEADER)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    label = models.CharField(max_length=60, blank=True, help_text="Empty: the title of what it links to.")
    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                            limit_choices_to={"draft_of__isnull": True})
    page = models.ForeignKey(Page, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             limit_choices_to={"draft_of__isnull": True})
    built_in = models.CharField("page of the site", max_length=20, choices=BuiltIn.choices, blank=True)
    url = HttpsURLField("other address", blank=True, help_text="Any other address, e.g. https://…")

    objects = NavigationLinkQuerySet.as_manager()

    class Meta:
        ordering = ["menu", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(hub__isnull=False, page__isnull=True, built_in="", url="")
                    | Q(hub__isnull=True, page__isnull=False, built_in="", url="")
                    | Q(~Q(built_in=""), hub__isnull=True, page__isnull=True, url="")
                    | Q(~Q(url=""), hub__isnull=True, page__isnull=True, built_in="")
                ),
                name="navigation_link_one_target",
                violation_error_message="Choose exactly one target: a hub, a page, a page of the site or an address.",
            ),
        ]

    def __str__(self):
        return self.link()["label"]

    def link(self):
        if self.hub_id:
            label, url = self.hub.title, self.hub.get_absolute_url()
        elif self.page_id:
            label, url = self.page.title, self.page.get_absolute_url()
        elif self.built_in:
            label, name, fragment = BUILT_IN_LINKS[self.built_in]
            url = reverse(name) + fragment
        else:
            label, url = self.url, self.url
        # A plain dict: what a template needs, kept in the cache on the content version (pages/navigation.py).
        return {"label": self.label or label, "url": url, "is_strategy_call": self.built_in == BuiltIn.STRATEGY_CALL}
