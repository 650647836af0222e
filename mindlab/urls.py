from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles.urls import tag_urlpatterns
from articles.views import home

admin.site.site_header = "MindLAB CMS"
admin.site.site_title = "MindLAB CMS"
admin.site.index_title = "Content"

urlpatterns = [
    path("", home, name="home"),
    path("hubs/", include("hubs.urls")),
    path("articles/", include("articles.urls")),
    path("authors/", include("authors.urls")),
    path("tags/", include(tag_urlpatterns)),
    path("strategy-call/", include("strategy_calls.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
