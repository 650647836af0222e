"""Old URLs keep working: a published page whose slug changes leaves a 301 behind."""

from django.conf import settings
from django.contrib.redirects.middleware import RedirectFallbackMiddleware as DjangoRedirectFallbackMiddleware
from django.contrib.redirects.models import Redirect
from django.db import transaction
from django.db.models import F
from django.http import HttpResponsePermanentRedirect

# `/?p=12` (a post), `/?page_id=7` (a page), `/?cat=3` (a category): the old WordPress addresses of the home path.
QUERY_KEYS = ("p", "page_id", "cat")


class RedirectFallbackMiddleware(DjangoRedirectFallbackMiddleware):
    """Django's redirects, found by the path alone and keeping the query string the visitor sent
    (`?utm_source=…` survives a slug change).

    The page cache leaves a request only the parameters a page reads; the ones the visitor sent are kept
    on the request as `original_query_string` for here.
    """

    def process_response(self, request, response):
        if response.status_code != 404 or "\x00" in request.path:  # PostgreSQL text cannot hold a NUL: no redirect
            return response
        moved = Redirect.objects.filter(site_id=settings.SITE_ID, old_path=request.path).first()
        if moved is None:
            return super().process_response(request, response)
        if not moved.new_path:
            return self.response_gone_class()
        query = getattr(request, "original_query_string", request.META.get("QUERY_STRING", ""))
        return self.response_redirect_class(f"{moved.new_path}?{query}" if query else moved.new_path)


class QueryRedirectMiddleware:
    """Redirects whose old path is the home path with one WordPress query parameter, stored as `/?p=12`.

    The home page answers `/?p=12` (with a 200, not a 404), and the page cache keeps only the parameters a page
    reads, so this sits above the page cache and looks only at a request for `/` carrying one of QUERY_KEYS as
    a number: one query for those, none for any other request. The visitor's other parameters are kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.method in ("GET", "HEAD") and request.META.get("QUERY_STRING"):
            for key in QUERY_KEYS:
                value = request.GET.get(key, "")
                if value.isascii() and value.isdigit() and len(value) < 20:
                    moved = Redirect.objects.filter(site_id=settings.SITE_ID, old_path=f"/?{key}={int(value)}").first()
                    if moved and moved.new_path:
                        rest = request.GET.copy()
                        del rest[key]
                        query = rest.urlencode()
                        return HttpResponsePermanentRedirect(f"{moved.new_path}?{query}" if query else moved.new_path)
        return self.get_response(request)


@transaction.atomic
def record_move(old_path, new_path):
    """Redirect old_path to new_path, collapsing chains: after A→B and B→C, A goes straight to C."""
    if old_path == new_path:
        return
    site_id = settings.SITE_ID
    redirects = Redirect.objects.filter(site_id=site_id)
    redirects.filter(new_path=old_path).update(new_path=new_path)
    redirects.filter(old_path=new_path).delete()  # the page lives there again
    redirects.update_or_create(site_id=site_id, old_path=old_path, defaults={"new_path": new_path})
    redirects.filter(old_path=F("new_path")).delete()
