from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import capfirst

from . import diff, jsonld
from .models import SiteSettings


class ViewOnSiteAdminMixin:
    """ "View on site" opens the page on DJANGO_SITE_URL (Django's own goes through the sites framework's
    domain, example.com); a pending revision has no public page, so no link (its form names the live page's)."""

    def view_on_site(self, obj):
        if getattr(obj, "draft_of_id", None):  # a pending revision is never public: its address is a 404
            return None
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
class SiteSettingsAdmin(SaveErrorsAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "crisis_phone"]
    fieldsets = [
        (None, {"fields": ["disclaimer", "disclaimer_position", "crisis_notice", "crisis_phone"]}),
        ("Strategy calls", {"fields": ["response_target_hours"]}),
        ("Legal pages", {"fields": ["privacy_page", "terms_page"]}),
        ("Publishing rules", {"fields": ["require_medical_review", "require_reference",
                                         "show_last_review_when_expired"]}),
        ("Sharing and search engines", {
            "fields": ["share_image", "share_image_alt", "logo", "twitter_site", "profile_urls", "contact_email",
                       "contact_phone"],
            "description": "What link previews show for a page without its own image, and what search engines "
            "read about the practice on the home page.",
        }),
    ]

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
        labels = {name: self.model.list_label(name) for name in self.versioned_lists(request, obj)}
        versions = _with_changed_fields(list(history.order_by("-history_date", "-history_id")), fields, labels)
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
            "changes": self.version_changes(request, obj, old, new, fields, labels) if old else [],
            "last_review": _last_review(versions, self.versions_review_fields),
            "can_restore": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/versions.html", context)

    def versioned_lists(self, request, obj):
        """The related lists a version records (Page.version_lists()) that this form edits, in the form's order:
        many-to-many fields where the form shows them, then the inlines' rows."""
        order = self._form_order(request, obj)
        m2m = sorted(obj.revision_m2m, key=lambda name: order.index(name) if name in order else len(order))
        return [*m2m, *obj.revision_children]

    def version_changes(self, request, obj, old, new, fields, labels):
        """What differs between two versions: the fields, then each related list where the form shows it."""
        names = [field.name for field in diff.changed_fields(old, new, fields)]
        names += diff.changed_lists(old.related_lists, new.related_lists, labels)
        changes = [*diff.field_changes(old, new, fields), *diff.lists_changes(old.related_lists, new.related_lists,
                                                                              labels)]
        order = self._form_order(request, obj)
        place = {name: order.index(name) if name in order else len(order) for name in names}
        return [change for _, change in sorted(zip(names, changes, strict=True), key=lambda pair: place[pair[0]])]

    def _form_order(self, request, obj):
        order = []
        for _, options in self.get_fieldsets(request, obj):
            for entry in options["fields"]:
                order += entry if isinstance(entry, list | tuple) else [entry]
        return order

    def versions_compared_fields(self, request, obj):
        """The fields a diff compares (mindlab/diff.py's default), in the order the change form shows them."""
        order = self._form_order(request, obj)
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
        # A restore brings back content, and only what this user could change in the form: never the address of
        # a revision, whether and when the page is public, its place in the workflow, and not an editor's
        # medical review record (read-only to them). A published page is restored into its pending revision,
        # which a reviewer approves like any other: a restore is never a live change.
        kept = set(self.get_readonly_fields(request, obj)) | set(obj.restore_kept_fields)
        restorable = {field.name for field in obj.content_fields()} - kept
        if not obj.draft_of_id and "slug" not in kept:
            restorable.add("slug")  # a draft's address, not a revision's nor a published page's (below)
        # The version's tags, citations (in order) and FAQs come back with it, into the same row; a list the form
        # shows read-only to this user is left as it is.
        lists = [name for name in self.versioned_lists(request, obj) if name not in kept]
        reason = f"Restored the version of {version.history_date:%Y-%m-%d %H:%M}"
        opts = self.model._meta
        try:
            with transaction.atomic():  # a new revision and the restore into it, or neither
                request.versions_since = _newest_version_id(self.model)
                target = self._restore(obj, restored, restorable, reason)
                missing = target.restore_lists(version.related_lists, lists) if version.related_lists else []
                self.log_change(request, target, reason)  # records the lists into the version the restore made
        except ValidationError as error:  # e.g. the old hero image could not be read or resized again
            self.message_user(request, f"Not restored: {' '.join(error.messages)}", messages.ERROR)
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_versions", obj.pk)
        notes = ""
        if version.related_lists is None:
            notes += (" That version was recorded before versions kept tags, citations and FAQs: the current ones "
                      "are kept.")
        if missing:
            notes += f" Deleted since, so not brought back: {'; '.join(missing)}."
        if target.pk != obj.pk:
            self.message_user(request, f"{reason} into the pending revision. Readers see the live page unchanged "
                                       f"until a reviewer approves the revision.{notes}")
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", target.pk)
        self.message_user(request, f"{reason}. The replaced version is kept in the list.{notes}")
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_versions", obj.pk)

    # A save through the admin writes the inlines and many-to-many fields after the page itself, so the versions it
    # recorded are given the lists as they finally stand before its transaction ends (`log_change` and
    # `log_addition` come after `save_related`, inside the admin's transaction).

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            request.versions_since = _newest_version_id(self.model)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST":
            request.versions_since = _newest_version_id(self.model)
        return super().changelist_view(request, extra_context)

    def log_change(self, request, obj, message):
        self._record_version_lists(request, obj)
        return super().log_change(request, obj, message)

    def log_addition(self, request, obj, message):
        self._record_version_lists(request, obj)
        return super().log_addition(request, obj, message)

    def _record_version_lists(self, request, obj):
        since = getattr(request, "versions_since", None)
        if since is not None and isinstance(obj, self.model) and obj.pk:
            obj.record_version_lists(since)

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


HISTORY_COLUMNS = ("history_id", "history_date", "history_type", "history_change_reason", "history_user",
                   "related_lists")


def _newest_version_id(model):
    return model.history.aggregate(newest=Max("history_id"))["newest"] or 0


def _int(value):
    return int(value) if value and value.isdigit() else None


def _with_changed_fields(versions, fields, labels):
    """Versions (newest first), each with `previous` and `changed_fields` (labels of the fields and of the related
    lists, `labels`, compared with the version before it): read from the rows already loaded, no query per
    version."""
    for version, previous in zip(versions, [*versions[1:], None], strict=True):
        version.previous = previous
        changed = diff.changed_fields(previous, version, fields) if previous else []
        lists = diff.changed_lists(previous.related_lists, version.related_lists, labels) if previous else []
        version.changed_fields = [capfirst(field.verbose_name) for field in changed] + [labels[name] for name in lists]
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
