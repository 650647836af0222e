from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import ArticleSitemap, TagSitemap
from articles.urls import tag_urlpatterns
from authors.sitemaps import AuthorSitemap
from hubs.sitemaps import HubSitemap
from library.views import home, search_results
from mindlab.sitemaps import HomeSitemap
from mindlab.views import healthz, robots_txt

SITEMAPS = {
    "home": HomeSitemap,
    "hubs": HubSitemap,
    "articles": ArticleSitemap,
    "authors": AuthorSitemap,
    "tags": TagSitemap,
}

urlpatterns = [
    path("", home, name="home"),
    path("hubs/", include("hubs.urls")),
    path("articles/", include("articles.urls")),
    path("authors/", include("authors.urls")),
    path("tags/", include(tag_urlpatterns)),
    path("search/", search_results, name="search"),
    path("feeds/", include("articles.feed_urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("strategy-call/", include("strategy_calls.urls")),
    path("healthz", healthz, name="healthz"),
    path(settings.ADMIN_PATH, admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
