"""The editorial workflow in the admin: a page's change form offers the actions its user may take (buttons, no
status field), saves an edit of a published page into its pending revision, and the lists show each page's
state. The rules themselves are the models' (`Page.publish()` and friends, `publishing_problems()`): the admin
only chooses which to call, so a form, a bulk action and the shell all meet the same checks."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html

from . import diff
from .models import Status, point_at_copies

# name: (button, what it does). The POST carries "_<name>", as Django admin's own buttons do.
ACTIONS = {
    "save_draft": ("Save draft", "Save without asking for a review."),
    "submit": ("Submit for review", "Save, and ask a reviewer to approve it."),
    "publish": ("Approve and publish", "Approve this text and make it public now."),
    "schedule": ("Schedule", "Approve this text and make it public at its publish date."),
    "request_changes": ("Request changes", "Send it back to its editor with your comment (below)."),
    "unpublish": ("Unpublish", "Take the page off the site; it becomes a draft."),
}
TO_REVISION = {"save_draft", "submit"}  # on a published page these always keep the edit in its pending revision
APPROVING = {"publish", "schedule"}


def action_of(data):
    return next((name for name in ACTIONS if f"_{name}" in data), None)


def site_time(moment):
    """A moment as the site tells it: in the site's time zone, which is named."""
    return f"{formats.date_format(timezone.localtime(moment), 'l, F j, Y, H:i')} ({settings.TIME_ZONE} time)"


class WorkflowForm(forms.ModelForm):
    """A page's change form. What a save does depends on the button pressed; the admin sets `actions` (those
    this user may take on this page) and `publisher` on the form class it builds for each request."""

    actions = ()
    publisher = False
    rule_fields = ()  # what publishing_problems() reads from the row, set from the form before it is asked

    @property
    def action(self):
        return action_of(self.data)

    def goes_to_revision(self):
        """Whether the save is kept in the page's pending revision, not on the page: a published page's text
        changes at once only by a publisher's own save."""
        page = self.instance
        live = page.pk and not page.draft_of_id and page.has_published_status
        return bool(live and (self.action in TO_REVISION or not self.publisher))

    def saves_published_row(self):
        """Whether the save writes a row that is published (so the publishing rules hold for it)."""
        page, action = self.instance, self.action
        live = page.pk and page.has_published_status and action != "unpublish" and not self.goes_to_revision()
        return action in APPROVING or bool(live)

    def clean(self):
        cleaned_data = super().clean()
        action, page = self.action, self.instance
        if action and action not in self.actions:
            raise ValidationError(
                f"“{ACTIONS[action][0]}” is not an action you can take on this page. Nothing was saved; use "
                "the buttons below.", code="action_not_allowed",
            )
        if self.goes_to_revision():
            for name in set(page.page_fields()) & set(self.changed_data):
                self.add_error(name, "A revision keeps its page's address and publishing dates: change them on the "
                                     "page itself, with “Approve and publish”.")
        if self.goes_to_revision() and page.revisions.exists():
            raise ValidationError(format_html(
                'This page already has a pending revision: <a href="{}">make your changes there</a>. Nothing was '
                "saved; your edits are still in this form.", _change_url(page.revisions.first())))
        if action == "request_changes" and not (cleaned_data.get("decision_comment") or "").strip():
            self.add_error("decision_comment", "Say what to change: the editor sees this comment.")
        if action == "schedule":
            moment = cleaned_data.get("publish_at")
            if moment is None or moment <= timezone.now():
                self.add_error("publish_at", "Give a publish date in the future to schedule, or approve and "
                                             "publish now.")
        if self.saves_published_row():
            for name in self.rule_fields:
                if name in cleaned_data:
                    setattr(page, name, cleaned_data[name])
            # The references are counted by their inline, whose rows are not saved yet (CitationFormSet).
            for field, message in page.publishing_problems(citations=1).items():
                self.add_error(field if field in self.fields else None, message)
        return cleaned_data


class CitationFormSet(BaseInlineFormSet):
    """The references inline: a save that publishes (or keeps published) a page without a reference is refused
    here, beside the inline, from the rows in the form. The inline sets `publisher`."""

    publisher = False
    pasted = 0  # references pasted into the page's form, cited on the same save (references/cite_admin.py)

    def clean(self):
        super().clean()
        page, action = self.instance, action_of(self.data)
        live = page.pk and not page.draft_of_id and page.has_published_status
        keeps_published = live and action not in {*TO_REVISION, "unpublish"} and self.publisher
        if action not in APPROVING and not keeps_published:
            return
        shown = {form.instance.pk for form in self.initial_forms}
        kept = sum(1 for form in self.forms
                   if getattr(form, "cleaned_data", {}).get("reference") and not form.cleaned_data.get("DELETE"))
        cited = kept + sum(1 for row in self.get_queryset() if row.pk not in shown) + self.pasted  # + left out
        problem = page.publishing_problems(citations=cited).get("citations")
        if problem:
            raise ValidationError(problem)


class CitationInlineMixin:
    formset = CitationFormSet
    publish_permission = ""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.publisher = request.user.has_perm(self.publish_permission)
        return formset


class StateFilter(admin.SimpleListFilter):
    """A page's state, or its pending revision's ("In review" lists the pages whose revision waits too), and the
    review queue's own lists, in one filter: the admin home's counts link here (`editorial.queue`), one page per
    row counted. "Waiting for my review" and "Changes requested of me" list the rows that wait, new pages and
    pending revisions alike (RevisionsFilter lets them through)."""

    title = "state (page or pending revision)"
    parameter_name = "state"
    with_revisions = {"for-me", "mine"}
    # The queue's own choices, each after the state it narrows: (value, label, state).
    queues = [("for-me", "Waiting for my review", Status.IN_REVIEW), ("mine", "Changes requested of me",
                                                                      Status.CHANGES_REQUESTED)]

    def lookups(self, request, model_admin):
        choices = []
        for value, label in model_admin.model_states:
            choices.append((value, label))
            choices += [(queue, queue_label) for queue, queue_label, state in self.queues if state == value]
        return choices

    def queryset(self, request, queryset):
        state = self.value()
        if state is None:
            return queryset
        if state == "for-me":  # not what I submitted
            return queryset.awaiting_review().exclude(submitted_by=request.user)
        if state == "mine":
            return queryset.changes_requested().filter(submitted_by=request.user)
        own = queryset.in_state(state)
        if state not in {Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED}:
            return own
        revision = queryset.model.objects.in_status(state).filter(draft_of=OuterRef("pk"))
        return queryset.filter(Q(pk__in=own.values("pk")) | Q(Exists(revision)))


class RevisionsFilter(admin.SimpleListFilter):
    """The list shows the pages themselves; a page's pending revision is a link in its row, or listed here."""

    title = "rows"
    parameter_name = "rows"

    def lookups(self, request, model_admin):
        return [("revisions", "Pending revisions")]

    def queryset(self, request, queryset):
        if self.value() == "revisions":
            return queryset.revisions()
        if request.GET.get(StateFilter.parameter_name) in StateFilter.with_revisions:
            return queryset
        return queryset.live_pages()

    def choices(self, changelist):
        for number, choice in enumerate(super().choices(changelist)):
            yield {**choice, "display": "Pages"} if number == 0 else choice


class WorkflowAdminMixin:
    """The workflow on a page's admin (articles, hubs). The model admin names its publish permission."""

    change_form_template = "admin/workflow_change_form.html"
    publish_permission = ""

    class Media:
        css = {"all": ["css/admin-lists.css"]}  # the lists readable on a laptop
    save_on_top = True  # long pages: the actions above the form too
    show_full_result_count = False  # the unfiltered total would count the revisions too

    def has_publish_permission(self, request):
        return request.user.has_perm(self.publish_permission)

    @property
    def model_states(self):
        return Status.choices

    def workflow_actions(self, request, obj):
        """The actions this user may take on this page (None: a new page)."""
        actions = ["save_draft", "submit"]
        if not self.has_publish_permission(request):
            return actions
        actions.append("publish")
        revision = obj is not None and obj.draft_of_id
        if self.model.can_schedule and not revision and not (obj is not None and obj.is_published):
            actions.append("schedule")
        if obj is not None and obj.workflow_status == Status.IN_REVIEW:
            actions.append("request_changes")
        if obj is not None and not revision and obj.has_published_status:
            actions.append("unpublish")
        return actions

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actions = self.workflow_actions(request, obj)
        form.publisher = self.has_publish_permission(request)
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        publisher = self.has_publish_permission(request)
        # A revision's address and visibility are its live page's; an editor's edit of a live page goes to the
        # revision, so the live page's own fields are read-only to them.
        if obj is not None and (obj.draft_of_id or obj.has_published_status and not publisher):
            fields += [*obj.page_fields()]
        if not publisher:
            fields.append("decision_comment")
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        fields = super().get_prepopulated_fields(request, obj)
        readonly = set(self.get_readonly_fields(request, obj))
        return {name: sources for name, sources in fields.items() if name not in readonly}

    def get_fieldsets(self, request, obj=None):
        """A new page has had no decision to comment on; a revision has no address or dates of its own (the
        notice above its form gives the page's address)."""
        hidden = {"decision_comment"} if obj is None else set(obj.page_fields()) if obj.draft_of_id else set()
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [field for field in options["fields"] if field not in hidden]
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    def get_queryset(self, request):
        revisions = self.model.objects.only("pk", "draft_of", "title", *self.model.visibility_fields,
                                            "decision_comment")
        return super().get_queryset(request).prefetch_related(Prefetch("revisions", queryset=revisions))

    @admin.display(description="state")
    def state(self, page):
        text = format_html("{}", page.get_state_display())
        if page.draft_of_id:
            text = format_html("Pending revision: {}", text)
        if page.workflow_status == Status.CHANGES_REQUESTED and page.decision_comment:
            text = format_html("{}: “{}”", text, page.decision_comment)
        for revision in page.revisions.all():
            text = format_html('{}<br><a href="{}">Revision: {}</a>', text, _change_url(revision),
                               revision.get_state_display())
            if revision.workflow_status == Status.CHANGES_REQUESTED and revision.decision_comment:
                text = format_html("{}: “{}”", text, revision.decision_comment)
        return text

    # The change form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is not None and request.method == "GET" and not self.has_publish_permission(request):
            revision = obj.pending_revision
            if revision is not None:
                self.message_user(request, "This page is public, so you are editing its pending revision. Readers "
                                           "see the reviewed page until a reviewer approves the revision.",
                                  messages.INFO)
                return redirect(_change_url(revision))
        extra_context = {**(extra_context or {}), **self.workflow_context(request, obj)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def workflow_context(self, request, obj):
        may_save = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        actions = self.workflow_actions(request, obj) if may_save else []
        primary = "publish" if "publish" in actions else "submit"
        buttons = [(name, *ACTIONS[name], name == primary) for name in actions]
        return {"workflow_buttons": buttons, "workflow_notices": self.workflow_notices(request, obj) if obj else [],
                "revision_changes": self.revision_changes(obj) if obj and obj.draft_of_id else []}

    def revision_changes(self, revision):
        """What a revision changes on its live page: the fields, then its lists (tags, citations, FAQs)."""
        live = revision.draft_of
        labels = {name: self.model.list_label(name) for name in (*live.revision_m2m, *live.revision_children)}
        return [*diff.field_changes(live, revision, fields=self.compared_fields()),
                *diff.lists_changes(live.version_lists(), revision.version_lists(), labels)]

    def compared_fields(self):
        """What a reviewer compares between a page and its revision: the content a person writes."""
        return [field.name for field in self.model.content_fields() if field.editable]

    def workflow_notices(self, request, page):
        """What the person at the form needs to know before saving, as (kind, text): where a save goes, what was
        decided. A "warning" asks for something to be done."""
        notices = []
        if page.draft_of_id:
            live = page.draft_of
            notices.append(("info", format_html(
                'This is the pending revision of the live page <a href="{}">{}</a>. Readers see the live page '
                "until a reviewer approves this revision; approving it keeps the page's address ({}).",
                _change_url(live), live.title, live.get_absolute_url())))
        elif page.has_published_status:
            revision = page.pending_revision
            if revision is not None:
                notices.append(("warning", format_html(
                    'This page has a pending revision ({}): <a href="{}">open it</a>.',
                    revision.get_state_display(), _change_url(revision))))
            elif not self.has_publish_permission(request):
                notices.append(("info", "This page is public. Saving keeps your changes in a revision for a "
                                        "reviewer to approve; readers see the reviewed page until then."))
        if page.workflow_status == Status.CHANGES_REQUESTED:
            notices.append(("warning", format_html(
                "Changes requested by {} on {}: “{}”", page.decided_by or "a reviewer",
                site_time(page.decided_at) if page.decided_at else "—", page.decision_comment)))
        elif page.workflow_status == Status.IN_REVIEW and page.submitted_at:
            notices.append(("info", format_html("Submitted for review by {} on {}.", page.submitted_by or "an editor",
                                                site_time(page.submitted_at))))
        if page.has_published_status and hasattr(page, "review_is_current") and not page.review_is_current:
            notices.append(("warning", "Readers do not see a “Medically reviewed” line: no medical review is "
                                       "recorded for the text as it stands. Approving it records one."))
        return notices

    # Saving: the row (or the revision) first, then its relations, then the action, in the admin's transaction.

    def save_model(self, request, obj, form, change):
        action = form.action if isinstance(form, WorkflowForm) else None
        if isinstance(form, WorkflowForm):
            to_revision = form.goes_to_revision()
        else:  # the list's editable columns: only fields that change no word apply to a live page at once
            to_revision = (obj.has_published_status and not self.has_publish_permission(request)
                           and not set(form.changed_data) <= set(obj.live_edit_fields))
        if to_revision:
            form.instance = obj.start_revision(source=obj)  # the page itself is not saved
            request.workflow_page, request.workflow_revision_started = form.instance, True
            return
        if action == "save_draft":
            obj.set_workflow_status(Status.DRAFT)
        super().save_model(request, obj, form, change)
        request.workflow_page = obj

    def save_related(self, request, form, formsets, change):
        page = form.instance
        if getattr(request, "workflow_revision_started", False):
            form.save_m2m()  # onto the revision: form.instance
            for formset in formsets:
                _save_formset_into(formset, page)
        else:
            super().save_related(request, form, formsets, change)
        if isinstance(form, WorkflowForm):
            request.workflow_page = self.take_action(request, form, page)

    def take_action(self, request, form, page):
        """Apply the pressed button's step to the saved page; returns the page the editor goes on with."""
        action, user = form.action, request.user
        comment = form.cleaned_data.get("decision_comment", "") if "decision_comment" in form.changed_data else ""
        recorded = hasattr(page, "record_review") and {"reviewer", "last_reviewed"} & set(form.changed_data)
        if recorded:  # the review covers the text as now saved, FAQs and citations included
            page.record_review()
        if action == "submit":
            return page.submit(user)
        if action == "request_changes":
            return page.request_changes(user, form.cleaned_data["decision_comment"])
        if action == "publish":
            return page.publish(user, comment=comment)
        if action == "schedule":
            return page.publish(user, at=page.publish_at, comment=comment)
        if action == "unpublish":
            return page.unpublish(user)
        if recorded:
            page._change_reason = "Medical review recorded"
            page.save()
        return page

    def log_change(self, request, obj, message):
        return super().log_change(request, getattr(request, "workflow_page", obj), message)

    def log_addition(self, request, obj, message):
        return super().log_addition(request, getattr(request, "workflow_page", obj), message)

    def response_add(self, request, obj, post_url_continue=None):
        if IS_POPUP_VAR in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return self.workflow_response(request, obj)

    def response_change(self, request, obj):
        if IS_POPUP_VAR in request.POST:
            return super().response_change(request, obj)
        return self.workflow_response(request, obj)

    def workflow_response(self, request, obj):
        """Back to the form of the page the editor goes on with, saying what happened. `obj` is the row the form
        was opened on; the page gone on with may be its new revision, or the live page a revision became."""
        page, action = getattr(request, "workflow_page", obj), action_of(request.POST)
        waiting = "Readers see the reviewed page until a reviewer approves the revision."
        if action == "publish":
            message = (f"Approved: the revision is now the live page, at {page.get_absolute_url()}."
                       if obj.draft_of_id else f"Published at {page.get_absolute_url()}.")
            if getattr(page, "state", None) == "expired":
                message += " Its expiry date has passed, so readers do not see it."
        elif action == "schedule":
            message = f"Scheduled: “{page.title}” goes public on {site_time(page.publish_at)}."
        elif action == "request_changes":
            message = "Changes requested. The editor sees your comment on the form and in the list."
        elif action == "unpublish":
            message = "Unpublished: the page is a draft and gone from the site."
        elif action == "submit":
            message = (f"The revision is submitted for review. {waiting}" if page.draft_of_id
                       else "Submitted for review. Reviewers are told.")
        elif page.draft_of_id and not obj.draft_of_id:
            message = f"Saved as a revision of the live page. {waiting}"
        else:
            message = "Draft saved." if action == "save_draft" else "Saved."
        self.message_user(request, message, messages.SUCCESS)
        return redirect(_change_url(page))

    # Bulk actions

    def publish_each(self, request, pages):
        """Publish (or approve) each page through the model, saying per page what stopped it."""
        done = 0
        for page in pages:
            try:
                page.publish(request.user)
            except ValidationError as error:
                self.message_user(request, f"“{page.title}” was not published: {' '.join(error.messages)}",
                                  messages.WARNING)
            else:
                done += 1
        self.message_user(request, f"{done} published.")


def _change_url(page):
    opts = page._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[page.pk])


def _save_formset_into(formset, page):
    """The edits an inline's form made to the live page's rows are made to the revision's copies of them
    (`page.copied_rows`); new rows become the revision's; the live page's rows are left as they are. Records
    what changed as a formset's save() does, for the admin's change message."""
    parent, copies = formset.fk.name, page.copied_rows.get(formset.model, {})
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    deleted = formset.deleted_forms
    for form in formset.initial_forms:
        copy = copies.get(form.instance.pk)
        if copy is None:
            continue
        row = form.instance
        if form in deleted:
            formset.model.objects.filter(pk=copy).delete()
            formset.deleted_objects.append(row)
        elif form.has_changed():
            row.pk = copy
            setattr(row, parent, page)
            point_at_copies(row, page.copied_rows)
            row.save()
            formset.changed_objects.append((row, form.changed_data))
    for form in formset.extra_forms:
        if form.has_changed() and form not in deleted:
            row = form.instance
            setattr(row, parent, page)
            point_at_copies(row, page.copied_rows)
            row.save()
            formset.new_objects.append(row)
