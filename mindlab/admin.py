from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import capfirst

from . import diff, jsonld
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
    # The fields whose change records a medical review: the page offers "Changes since the last review".
    versions_review_fields = ()

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
        fields = self.versions_compared_fields(request, obj)
        # Only what the list and the diff read: the derived columns (rendered HTML, contents, plain text) would
        # triple what is read and decoded for every version.
        history = obj.history.select_related("history_user").only(*fields, *self.versions_review_fields,
                                                                  *HISTORY_COLUMNS)
        versions = _with_changed_fields(list(history.order_by("-history_date", "-history_id")), fields)
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
            "changes": diff.field_changes(old, new, fields) if old else [],
            "last_review": _last_review(versions, self.versions_review_fields),
            "can_restore": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/versions.html", context)

    def versions_compared_fields(self, request, obj):
        """The fields a diff compares (mindlab/diff.py's default), in the order the change form shows them."""
        order = []
        for _, options in self.get_fieldsets(request, obj):
            for entry in options["fields"]:
                order += entry if isinstance(entry, list | tuple) else [entry]
        names = [field.name for field in diff.compared_fields(self.model)]
        return sorted(names, key=lambda name: order.index(name) if name in order else len(order))

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


HISTORY_COLUMNS = ("history_id", "history_date", "history_type", "history_change_reason", "history_user")


def _int(value):
    return int(value) if value and value.isdigit() else None


def _with_changed_fields(versions, fields):
    """Versions (newest first), each with `previous` and `changed_fields` (labels, compared with the version
    before it): read from the rows already loaded, no query per version."""
    for version, previous in zip(versions, [*versions[1:], None], strict=True):
        version.previous = previous
        changed = diff.changed_fields(previous, version, fields) if previous else []
        version.changed_fields = [capfirst(field.verbose_name) for field in changed]
    return versions


def _last_review(versions, review_fields):
    """The newest version (of `versions`, newest first) in which the medical review was recorded: the review
    fields were set and differ from the version before. None when the model records no review or the loaded
    versions record none."""
    if not review_fields or not versions:
        return None
    fields = diff.compared_fields(versions[0].instance_type, review_fields)
    for version in versions:
        recorded = [getattr(version, field.attname) for field in fields]
        before = [getattr(version.previous, field.attname) for field in fields] if version.previous else None
        if all(value is not None for value in recorded) and recorded != before:
            return version
    return None
