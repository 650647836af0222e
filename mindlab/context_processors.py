from functools import cache, lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from .models import SiteSettings


def site(request):
    site_settings = SimpleLazyObject(SiteSettings.current)
    return {
        "site_name": settings.SITE_NAME,
        "site_settings": site_settings,
        "chrome": chrome(),
        "site_chrome": SimpleLazyObject(lambda: site_chrome(site_settings)),
    }


@cache
def chrome():
    """The addresses every page's header and footer link to, and the parts of the frame made of nothing
    else (head links, feeds, masthead), looked up and rendered once per process.

    They depend on the URLconf, the static files manifest and the templates only, which do not change while
    a process runs; reversing and rendering them on every request cost about a quarter of an uncached
    article page.
    """
    urls = {
        "home": reverse("home"),
        "search": reverse("search"),
        "rss": reverse("feeds:rss"),
        "atom": reverse("feeds:atom"),
        "strategy_call": reverse("strategy_calls:request"),
        "favicon": static("img/favicon.svg"),
        "css": static("css/site.css"),
        "js": static("js/site.js"),
    }
    context = {"chrome": urls, "site_name": settings.SITE_NAME}
    return {
        **urls,
        **{part: _render(f"includes/site_{part}.html", context) for part in ("head_links", "feeds", "masthead")},
    }


def site_chrome(site_settings):
    """The parts of pages that Site settings decide: the footer, the crisis notice, the default disclaimer."""
    return _site_chrome(site_settings.crisis_notice, site_settings.crisis_phone, site_settings.disclaimer,
                        timezone.now().year)


@lru_cache(maxsize=4)
def _site_chrome(crisis_notice, crisis_phone, disclaimer, year):
    """Rendered once per process for each state of the settings they show (and each year). The settings row
    is read on every request, from the shared cache that saving it clears, so an edit reaches every worker
    on its next request."""
    context = {
        "site_name": settings.SITE_NAME,
        "site_settings": {"crisis_notice": crisis_notice, "crisis_phone": crisis_phone},
        "text": disclaimer,
        "year": year,
    }
    return {part: _render(f"includes/{name}.html", context)
            for part, name in (("footer", "site_footer"), ("crisis_notice", "crisis_notice"),
                               ("disclaimer", "disclaimer"))}


def _render(template_name, context):
    # The template escaped what it showed; strip() would drop the string's safe mark.
    return mark_safe(render_to_string(template_name, context).strip())
