from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from hubs.models import Hub
from mindlab.jsonld import absolute

from .models import Article

FEED_LENGTH = 20


class LatestArticlesRSS(Feed):
    """The newest published articles. Links are absolute on the canonical origin (DJANGO_SITE_URL)."""

    title = "MindLAB Neuroscience — latest articles"
    description = "Research-based articles on depression, motivation, stress and anxiety."

    def link(self):
        return absolute(reverse("home"))

    def feed_url(self):
        return absolute(reverse("feeds:rss"))

    def items(self):
        return Article.objects.published().for_cards()[:FEED_LENGTH]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # Feed readers take a description as HTML: the excerpt is plain text, so it goes out escaped.
        return escape(article.summary)

    def item_link(self, article):
        return absolute(article.get_absolute_url())

    def item_author_name(self, article):
        return article.author.name

    def item_author_link(self, article):
        return absolute(article.author.get_absolute_url())

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        return article.content_date

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]


class LatestArticlesAtom(LatestArticlesRSS):
    feed_type = Atom1Feed
    subtitle = LatestArticlesRSS.description

    def feed_url(self):
        return absolute(reverse("feeds:atom"))


class HubArticlesRSS(LatestArticlesRSS):
    def get_object(self, request, slug):
        return get_object_or_404(Hub.objects.published(), slug=slug)

    def title(self, hub):
        return f"{hub.title} — MindLAB Neuroscience"

    def description(self, hub):
        return hub.tagline

    def link(self, hub):
        return absolute(hub.get_absolute_url())

    def feed_url(self, hub):
        return absolute(reverse("feeds:hub-rss", args=[hub.slug]))

    def items(self, hub):
        return hub.articles.for_cards()[:FEED_LENGTH]


class HubArticlesAtom(HubArticlesRSS):
    feed_type = Atom1Feed

    def subtitle(self, hub):
        return hub.tagline

    def feed_url(self, hub):
        return absolute(reverse("feeds:hub-atom", args=[hub.slug]))
