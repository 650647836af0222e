from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import SiteSettings


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        "site_settings": SimpleLazyObject(SiteSettings.current),
    }
