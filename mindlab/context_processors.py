from functools import cache

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .models import SiteSettings


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_settings": SimpleLazyObject(SiteSettings.current),
        "chrome": chrome_urls(),
        "year": timezone.now().year,
    }


@cache
def chrome_urls():
    """The addresses every page's header and footer link to, looked up once per process.

    They depend on the URLconf and the static files manifest only, which do not change while a process
    runs; reversing them on every request cost about a sixth of an uncached article page.
    """
    return {
        "home": reverse("home"),
        "search": reverse("search"),
        "rss": reverse("feeds:rss"),
        "atom": reverse("feeds:atom"),
        "strategy_call": reverse("strategy_calls:request"),
        "favicon": static("img/favicon.svg"),
        "css": static("css/site.css"),
        "js": static("js/site.js"),
    }
