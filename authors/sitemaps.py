from django.db.models import Max, Q

from articles.models import Article
from mindlab.sitemaps import CanonicalSitemap

from .models import Author


class AuthorSitemap(CanonicalSitemap):
    """Every author: each has a public page (a review team with no articles of its own included), last modified
    when the newest of their published articles was (none: no lastmod)."""

    priority = 0.5

    def items(self):
        published = Article.objects.published().values("pk")
        return Author.objects.annotate(lastmod=Max("articles__updated", filter=Q(articles__in=published))).order_by(
            "name", "pk"
        )

    def lastmod(self, author):
        return author.lastmod
