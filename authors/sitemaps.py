from django.db.models import Max

from articles.models import Article
from mindlab.sitemaps import CanonicalSitemap

from .models import Author


class AuthorSitemap(CanonicalSitemap):
    """Authors with at least one published article."""

    priority = 0.5

    def items(self):
        published = Article.objects.published().values("pk")
        return (
            Author.objects.filter(articles__in=published)
            .annotate(lastmod=Max("articles__updated"))
            .order_by("name")
        )

    def lastmod(self, author):
        return author.lastmod
