"""The local demo login (`make run`) can never sign in to a production site, and a check says it is there."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "mindlab-demo"  # A local login, made by `manage.py load_demo` only when DEBUG is on.


class ModelBackendWithoutDemoLogin(ModelBackend):
    """Django's sign-in, refusing any account whose password is the published demo password when DEBUG is off
    (a database that `make run` used, served later by `make serve`)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.DEBUG and password == DEMO_PASSWORD:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


@register(Tags.security, deploy=True)
def check_demo_login(app_configs=None, databases=None, **kwargs):
    if settings.DEBUG or not databases or "default" not in databases:
        return []
    try:
        user = get_user_model().objects.filter(username=DEMO_USERNAME).first()
    except DatabaseError:  # not migrated yet: nothing to find
        return []
    if user is None or not user.check_password(DEMO_PASSWORD):
        return []
    return [Error(
        f"The local demo login ({DEMO_USERNAME}) exists in this database with its published password.",
        hint=f"It cannot sign in with DEBUG off; delete it: manage.py shell -c \"from django.contrib.auth.models "
             f"import User; User.objects.filter(username='{DEMO_USERNAME}').delete()\"",
        id="mindlab.E001",
    )]
