from mindlab.sitemaps import CanonicalSitemap

from .models import Page


class PageSitemap(CanonicalSitemap):
    priority = 0.5

    def items(self):
        return Page.objects.published().only("slug", "updated")

    def lastmod(self, page):
        return page.updated
