import os
from functools import cache

from django.http import HttpResponse
from django.urls import path

from mindlab.urls import urlpatterns as site_urlpatterns


@cache
def _constant_bytes():
    with open(os.environ["BENCH_CONSTANT_FILE"], "rb") as page:
        return page.read()


def constant_page(request):
    """The framework's floor: a Django view that returns a fixed page of the article page's size."""
    return HttpResponse(_constant_bytes())


urlpatterns = [path("bench/constant/", constant_page), *site_urlpatterns]
