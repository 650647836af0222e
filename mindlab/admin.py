import difflib

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from . import jsonld
from .models import SiteSettings


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
        # A restore brings back content, and only what this user could change in the form: never the address of
        # a revision, whether and when the page is public, its place in the workflow, and not an editor's
        # medical review record (read-only to them). A published page is restored into its pending revision,
        # which a reviewer approves like any other: a restore is never a live change.
        kept = set(self.get_readonly_fields(request, obj)) | set(obj.restore_kept_fields)
        restorable = {field.name for field in obj.content_fields()} - kept
        if not obj.draft_of_id and "slug" not in kept:
            restorable.add("slug")  # a draft's address, not a revision's nor a published page's (below)
        reason = f"Restored the version of {version.history_date:%Y-%m-%d %H:%M}"
        opts = self.model._meta
        try:
            with transaction.atomic():  # a new revision and the restore into it, or neither
                target = self._restore(obj, restored, restorable, reason)
        except ValidationError as error:  # e.g. the old hero image could not be read or resized again
            self.message_user(request, f"Not restored: {' '.join(error.messages)}", messages.ERROR)
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_versions", obj.pk)
        self.log_change(request, target, reason)
        if target.pk != obj.pk:
            self.message_user(request, f"{reason} into the pending revision. Readers see the live page unchanged "
                                       "until a reviewer approves the revision.")
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", target.pk)
        self.message_user(request, f"{reason}. The replaced version is kept in the list.")
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_versions", obj.pk)

    @staticmethod
    def _restore(obj, restored, restorable, reason):
        """Save the old version `restored` as `obj`, or into `obj`'s pending revision (opened if need be) when
        `obj` is published; only the `restorable` fields come from the old version. Returns the row saved."""
        target = obj
        if not obj.draft_of_id and obj.has_published_status:
            restorable = restorable - {"slug"}
            target = obj.pending_revision
            if target is None:
                for field in obj._meta.concrete_fields:
                    if field.name not in restorable:
                        setattr(restored, field.attname, getattr(obj, field.attname))
                return obj.start_revision(source=restored, reason=reason)
        for field in obj._meta.concrete_fields:  # the rest is the target row's own
            if field.name not in restorable:
                setattr(restored, field.attname, getattr(target, field.attname))
        restored._change_reason = reason
        restored.save()
        return restored


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
