from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .cache import FRAGMENT_TTL, version_of
from .models import SiteSettings


def site(request):
    """Read lazily: a page whose fragments are cached reads neither."""
    return {
        "site_name": settings.SITE_NAME,
        "site_settings": SimpleLazyObject(SiteSettings.current),
        "content_version": SimpleLazyObject(lambda: version_of(request)),
        "fragment_ttl": FRAGMENT_TTL,
    }
