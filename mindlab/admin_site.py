from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class MindlabAdminConfig(AdminConfig):
    default_site = "mindlab.admin_site.AdminSite"


class AdminSite(admin.AdminSite):
    """The admin, with optional two-factor sign-in (DJANGO_ADMIN_2FA=1, TOTP devices from django-otp)."""

    site_header = "MindLAB CMS"
    site_title = "MindLAB CMS"
    index_title = "Content"

    @property
    def login_form(self):
        if not settings.ADMIN_2FA:
            return None
        from django_otp.forms import OTPAuthenticationForm  # imports auth models: not before apps are ready

        return OTPAuthenticationForm

    @property
    def login_template(self):
        return "otp/admin111/login.html" if settings.ADMIN_2FA else None  # django-otp's: adds the token field

    def index(self, request, extra_context=None):
        # Imported here: this module is loaded with the app registry, before the models the queue reads.
        from editorial.queue import admin_home

        return super().index(request, {**admin_home(request.user), **(extra_context or {})})

    def has_permission(self, request):
        verified = not settings.ADMIN_2FA or request.user.is_verified()
        return super().has_permission(request) and verified
