from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from .models import SiteSettings


class PublishPermissionForm(forms.ModelForm):
    """Lets only holders of `publish_permission` make a page public.

    Editors may still edit a page that is already public; what they cannot do is publish one.
    The admin sets `user` on the form class it builds for each request.
    """

    user = None
    publish_permission = ""
    publish_field = ""
    published_value = None

    def clean(self):
        cleaned_data = super().clean()
        field, published = self.publish_field, self.published_value
        publishing = cleaned_data.get(field) == published and self.initial.get(field) != published
        if publishing and not self.user.has_perm(self.publish_permission):
            raise ValidationError("Only reviewers can publish. Save it as a draft or submit it for review.")
        return cleaned_data


class PublishPermissionAdminMixin:
    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "crisis_phone"]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
