"""The header and footer menus, read in one query once per content version.

The menus are on every page, outside the cached fragments (the strategy-call link names the page it is on), so
what they show is kept in the cache under the content version: a link, a hub or a page edited in admin moves
the version and the next request reads them again (mindlab/cache.py).
"""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from mindlab.cache import FRAGMENT_TTL, version_of

from .models import NavigationLink


def menus(version):
    key = f"mindlab:menus:{version}"
    found = cache.get(key)
    if found is None:
        found = NavigationLink.objects.menus()
        cache.set(key, found, FRAGMENT_TTL)
    return found


def navigation(request):
    """Context processor: `menus.header` and `menus.footer`, read only when a template shows them."""
    return {"menus": SimpleLazyObject(lambda: menus(version_of(request)))}
