from django.conf import settings
from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache


class StaffPreviewMixin:
    """Public visitors see published objects only; staff who may view the model in the admin also see drafts
    and scheduled pages, marked as a preview (a triage coordinator does not).

    This is what makes the admin's "View on site" work for an unpublished page.
    """

    def get_queryset(self):
        queryset = super().get_queryset()
        meta = queryset.model._meta
        may_preview = self.request.user.has_perm(f"{meta.app_label}.view_{meta.model_name}")
        return queryset if may_preview else queryset.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.object.is_published
        return context


def paginate(request, queryset, per_page):
    """The page named by ?page=; a page that does not exist is a 404, like ListView's."""
    try:
        return Paginator(queryset, per_page).page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404(str(error)) from error


def robots_txt(request):
    # Search results are not disallowed: a crawler must fetch them to read their noindex (a blocked page can still
    # be indexed from links, without its text).
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    """For load balancers: can this app server reach its database and its cache? 200 if so, else 503."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any failure to reach the database is the answer, not a crash
        checks["database"] = f"error: {type(error).__name__}"
    try:
        cache.set("mindlab:healthz", "ok", 10)
        checks["cache"] = "ok" if cache.get("mindlab:healthz") == "ok" else "error: value not stored"
    except Exception as error:
        checks["cache"] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
