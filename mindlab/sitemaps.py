from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class CanonicalSitemap(Sitemap):
    """Absolute URLs on DJANGO_SITE_URL, whatever host the request came in on."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme


class HomeSitemap(CanonicalSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["home"]

    def location(self, name):
        return reverse(name)


class StaticPagesSitemap(CanonicalSitemap):
    """Pages made by a view rather than stored content, by URL name: the strategy-call page."""

    priority = 0.6

    def items(self):
        return ["strategy_calls:request"]

    def location(self, name):
        return reverse(name)
