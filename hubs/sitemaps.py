from mindlab.sitemaps import CanonicalSitemap

from .models import Hub


class HubSitemap(CanonicalSitemap):
    priority = 0.9

    def items(self):
        return Hub.objects.published().only("slug", "updated")

    def lastmod(self, hub):
        return hub.updated
