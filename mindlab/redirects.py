"""Old URLs keep working: a published page whose slug changes leaves a 301 behind."""

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db import transaction
from django.db.models import F


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
