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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.index_parts = []

    def add_to_index(self, part):
        """An app adds to the admin home: `part(user)` returns context for templates/admin/index.html (the review
        queue: editorial/apps.py). The site names no app, so no app above it is imported here."""
        self.index_parts.append(part)

    def index(self, request, extra_context=None):
        context = {}
        for part in self.index_parts:
            context.update(part(request.user))
        return super().index(request, {**context, **(extra_context or {})})

    def has_permission(self, request):
        verified = not settings.ADMIN_2FA or request.user.is_verified()
        return super().has_permission(request) and verified
