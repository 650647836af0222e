from datetime import timedelta
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from . import services, spam
from .forms import StrategyCallForm, clean_source, clean_utm
from .models import StrategyCallRequest


@never_cache
@csrf_protect
def request_call(request):
    if request.method == "POST":
        form = StrategyCallForm(request.POST)
        if form.is_valid():
            return _accept(request, form)
    else:
        # A form sent back with errors keeps its first token: the visitor has been at it since then.
        form = StrategyCallForm(initial={
            "source": clean_source(request.GET.get("from", "")),
            "utm": urlencode(clean_utm(request.GET.urlencode())),
            "started": spam.start_token(),
        })
    return render(request, "strategy_calls/request.html", {"form": form})


def _accept(request, form):
    ip_digest = spam.ip_hash(request)
    if spam.over_rate_limit(ip_digest):
        response = render(request, "429.html", status=429)
        response["Retry-After"] = str(settings.STRATEGY_CALL_RATE_WINDOW)
        return response
    if duplicate := _earlier_copy(form):
        return _thanks_redirect(duplicate)
    try:
        with transaction.atomic():
            call_request = form.save(ip_digest=ip_digest)
            if call_request.notification_pending:
                # Mail goes to the task worker once the row is committed; whatever becomes of it, the visitor
                # is thanked (queue_notifications never raises).
                transaction.on_commit(partial(services.queue_notifications, call_request.pk, call_request.is_urgent))
    except IntegrityError:
        # The form's token is on a stored request already: the same form sent twice at once is that request;
        # any other second use is refused.
        if duplicate := _earlier_copy(form):
            return _thanks_redirect(duplicate)
        if not form.token_used():
            raise
        form.refuse_token(form.USED)
        return render(request, "strategy_calls/request.html", {"form": form})
    return _thanks_redirect(call_request)


def _earlier_copy(form):
    """The request that the same email address sent with the same message in the last few minutes, if any."""
    return StrategyCallRequest.objects.filter(
        email__iexact=form.cleaned_data["email"],
        message=form.cleaned_data["message"],
        received__gte=timezone.now() - timedelta(seconds=settings.STRATEGY_CALL_DUPLICATE_WINDOW),
    ).first()


def _thanks_redirect(call_request):
    # 303: the browser fetches the thank-you page with GET, so a reload never re-posts the form.
    response = HttpResponseRedirect(reverse("strategy_calls:thanks") + ("?urgent=1" if call_request.is_urgent else ""))
    response.status_code = 303
    return response


def thanks(request):
    return render(request, "strategy_calls/thanks.html", {"urgent": request.GET.get("urgent") == "1"})
