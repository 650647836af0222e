import difflib

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from . import jsonld
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


class ViewOnSiteAdminMixin:
    """ "View on site" opens the page on DJANGO_SITE_URL (Django's own goes through the sites framework's
    domain, example.com)."""

    def view_on_site(self, obj):
        return jsonld.absolute(obj.get_absolute_url())


class SaveErrorsAdminMixin:
    """A ValidationError raised while saving (an image that cannot be resized or stored) is shown beside its
    field like any other error, never as a 500. The save's transaction has been rolled back and its files
    deleted by then; the form is validated once more, without the uploads (none was kept), and shown with
    the error. Every admin of a model with an image field uses it (tests/test_uploads.py checks)."""

    def add_view(self, request, form_url="", extra_context=None):
        return self._with_save_errors(super().add_view, request, form_url=form_url, extra_context=extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._with_save_errors(super().change_view, request, object_id, form_url=form_url,
                                      extra_context=extra_context)

    def _with_save_errors(self, view, request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ValidationError as error:
            if request.method != "POST" or hasattr(request, "save_error"):
                raise
            request.save_error = error
            for name in list(request.FILES):
                del request.FILES[name]
            return view(request, *args, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        error = getattr(request, "save_error", None)
        if error is None:
            return form

        class NotSavedForm(form):
            def clean(self):
                cleaned_data = super().clean()
                for field, errors in error.update_error_dict({}).items():
                    self.add_error(field if field in self.fields else None, errors)
                return cleaned_data

        return NotSavedForm


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


class VersionsAdminMixin:
    """A "Versions" page for a model with simple-history records: who saved what and when, the
    difference between any two versions, and restoring an older one (which is itself a new version).
    """

    change_form_template = "admin/versions_change_form.html"
    # Derived on save from the fields that are compared; showing them again would only add noise.
    versions_ignored_fields = ["created", "updated"]

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path("<path:object_id>/versions/", self.admin_site.admin_view(self.versions_view),
                 name=f"{name}_versions"),
            path("<path:object_id>/versions/<int:history_id>/restore/",
                 self.admin_site.admin_view(self.restore_version_view), name=f"{name}_restore_version"),
            *super().get_urls(),
        ]

    def _versioned_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such object.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def versions_view(self, request, object_id):
        obj = self._versioned_object(request, object_id)
        versions = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id"))
        by_id = {version.history_id: version for version in versions}
        chosen = [by_id.get(_int(request.GET.get(key))) for key in ("old", "new")]
        if not all(chosen) and len(versions) > 1:
            chosen = [versions[1], versions[0]]
        old, new = sorted(chosen, key=lambda version: version.history_date) if all(chosen) else (None, None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"Versions of “{obj}”",
            "versions": versions,
            "old": old,
            "new": new,
            "changes": _changes(old, new, self.versions_ignored_fields) if old else [],
            "can_restore": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/versions.html", context)

    def restore_version_view(self, request, object_id, history_id):
        obj = self._versioned_object(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(obj.history, history_id=history_id)
        restored = version.instance
        # A restore changes only what this user could change in the form: whether and when the page is public
        # needs the publish permission, and read-only fields (an editor's medical review record) stay as they are.
        kept = set(self.get_readonly_fields(request, obj))
        if not request.user.has_perm(getattr(self.form, "publish_permission", "")):
            kept |= set(self.model.visibility_fields)
        for field in obj._meta.concrete_fields:
            if field.name in kept:
                setattr(restored, field.attname, getattr(obj, field.attname))
        restored._change_reason = f"Restored the version of {version.history_date:%Y-%m-%d %H:%M}"
        opts = self.model._meta
        try:
            restored.save()
        except ValidationError as error:  # e.g. the old hero image could not be read or resized again
            self.message_user(request, f"Not restored: {' '.join(error.messages)}", messages.ERROR)
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_versions", obj.pk)
        self.log_change(request, restored, restored._change_reason)
        self.message_user(request, f"{restored._change_reason}. The replaced version is kept in the list.")
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_versions", obj.pk)


def _int(value):
    return int(value) if value and value.isdigit() else None


def _changes(old, new, ignored):
    """[(label, lines)] where lines are (kind, text) rows of a line diff: kind is "+", "-" or " "."""
    excluded = set(ignored) | {field.name for field in new.instance._meta.fields if not field.editable}
    delta = new.diff_against(old, excluded_fields=excluded)
    rows = []
    for change in delta.changes:
        label = new.instance._meta.get_field(change.field).verbose_name
        before, after = ("" if value is None else str(value) for value in (change.old, change.new))
        diff = difflib.ndiff(before.splitlines() or [""], after.splitlines() or [""])
        rows.append((label, [(line[0], line[2:]) for line in diff if line[0] in "+- "]))
    return rows


class ReviewQueueFilter(admin.SimpleListFilter):
    """The review queue as a list filter: each choice is one of the workflow's queryset methods, so the admin
    home's counts and the list they link to are the same rows. A choice is offered only where the page's
    queryset has its method (hubs have no schedule)."""

    title = "review queue"
    parameter_name = "queue"
    queues = [
        ("waiting", "Waiting for review", "awaiting_review"),
        ("for-me", "Waiting for my review", "awaiting_review"),  # not what I submitted
        ("changes", "Changes requested", "changes_requested"),
        ("mine", "Changes requested of me", "changes_requested"),
        ("scheduled", "Scheduled", "scheduled"),
    ]

    def lookups(self, request, model_admin):
        pages = model_admin.model._default_manager.none()
        return [(value, label) for value, label, method in self.queues if hasattr(pages, method)]

    def queryset(self, request, queryset):
        chosen = {value: method for value, _, method in self.queues}.get(self.value())
        if chosen is None or not hasattr(queryset, chosen):
            return queryset
        pages = getattr(queryset, chosen)()
        if self.value() == "for-me":
            return pages.exclude(submitted_by=request.user)
        if self.value() == "mine":
            return pages.filter(submitted_by=request.user)
        return pages
