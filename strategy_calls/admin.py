import csv
import re
from datetime import timedelta
from urllib.parse import quote, urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.db.models.fields.json import KT
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from mindlab.models import SiteSettings

from . import services
from .models import (
    AccessRecord,
    Activity,
    ReplyTemplate,
    Status,
    StatusChange,
    StrategyCallRequest,
    dialable,
    triage_users,
)

SUBMITTED_FIELDS = [
    "received", "full_name", "email", "phone", "message", "contact_method", "time_window", "consent",
    "source_path", "source_article", "source_hub", "utm", "ip_hash", "spam_reason", "is_urgent",
    "staff_notified_at", "acknowledged_at",
]
REPORT_WINDOWS = [30, 90, 365]


def _mark_action(status):
    """An admin action that moves the selected requests to `status`, recording each change."""

    @admin.action(description=f"Mark selected as {Status(status).label.lower()}", permissions=["change"])
    def mark(model_admin, request, queryset):
        changed = 0
        for call_request in queryset.exclude(status=status):
            StatusChange.objects.create(
                request=call_request, from_status=call_request.status, to_status=status, changed_by=request.user
            )
            call_request.status = status
            call_request.save(update_fields=["status"])
            changed += 1
        model_admin.message_user(request, f"{changed} request(s) marked {Status(status).label.lower()}.")

    mark.__name__ = f"mark_{status}"
    return mark


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Read-only: the trail of who viewed or exported which request."""

    list_display = ["at", "user", "action", "request"]
    list_filter = ["action", "at"]
    search_fields = ["user__username"]
    list_select_related = ["user", "request"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NotificationPendingFilter(admin.SimpleListFilter):
    title = "notification"
    parameter_name = "notification"

    def lookups(self, request, model_admin):
        return [("pending", "Pending"), ("sent", "Sent")]

    def queryset(self, request, queryset):
        pending = queryset.notification_pending()
        if self.value() == "pending":
            return pending
        if self.value() == "sent":
            return queryset.not_spam().exclude(pk__in=pending.values("pk"))
        return queryset


QUEUES = [
    ("open", "Open"), ("mine", "Mine"), ("unassigned", "Unassigned"), ("urgent", "Urgent"),
    ("waiting", "Waiting on them"), ("past-retention", "Past retention"), ("all", "All requests"),
]


class QueueFilter(admin.SimpleListFilter):
    """The queue's quick filters. Open requests unless asked otherwise; a status filter shows every request."""

    title = "queue"
    parameter_name = "queue"

    def __init__(self, request, params, model, model_admin):
        self.status_filtered = any(key.startswith("status") for key in params)
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return QUEUES

    def value(self):
        return super().value() or ("all" if self.status_filtered else "open")

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        return queryset.in_queue(self.value(), request.user)


class RequestForm(forms.ModelForm):
    new_note = forms.CharField(
        label="Add a note", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Goes on the timeline with your name and the time; internal, never shown to the sender.",
    )

    class Meta:
        model = StrategyCallRequest
        fields = ["status", "assignee", "notes"]
        labels = {"notes": "Standing notes"}
        help_texts = {"notes": "What anyone picking this up should know, kept up to date; internal, never shown to "
                               "the sender. Each timeline note keeps its own time and author."}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


# Buttons on the request page that log one thing in one click (they save the form too, then stay on the page).
LOG_BUTTONS = [Activity.Kind.CALL_NO_ANSWER, Activity.Kind.CALL_SPOKE, Activity.Kind.EMAIL]
STAY_BUTTONS = {"_log", "_urgent", "_assign_me"}
URGENT_BADGE = mark_safe('<strong class="desk-badge desk-badge--urgent">URGENT</strong> ')
RETENTION_BADGE = mark_safe('<span class="desk-badge desk-badge--retention">past retention</span>')


@admin.register(StrategyCallRequest)
class StrategyCallRequestAdmin(admin.ModelAdmin):
    form = RequestForm
    list_display = ["queue_entry", "source", "age", "status", "assignee"]
    list_display_links = ["queue_entry"]
    list_filter = [QueueFilter, "status", "is_urgent", NotificationPendingFilter, "received", "source_hub"]
    search_fields = ["full_name", "email", "phone_digits", "message"]
    list_select_related = ["assignee", "source_article", "source_hub"]
    list_per_page = 50
    readonly_fields = [*SUBMITTED_FIELDS, "urgency", "email_link", "phone_link", "repeat_contacts", "log_buttons",
                       "reply_links", "timeline", "closed_at"]
    fieldsets = [
        ("Request", {"fields": ["urgency", "received", "full_name", "email_link", "phone_link", "message",
                                "contact_method", "time_window", "repeat_contacts"]}),
        ("Triage", {"fields": ["status", "assignee", "log_buttons", "new_note", "reply_links", "notes"]}),
        ("Timeline", {"fields": ["timeline"]}),
        ("Where it came from", {"fields": ["source_path", "source_article", "source_hub", "utm"]}),
        ("Delivery, abuse checks and retention", {
            "classes": ["collapse"],
            "fields": ["consent", "staff_notified_at", "acknowledged_at", "spam_reason", "ip_hash", "closed_at"],
        }),
    ]
    save_on_top = True  # "Save and open next" without scrolling
    actions = ["mark_contacted", "mark_scheduled", "mark_closed", "mark_spam", "retry_notification", "export_csv"]

    class Media:
        css = {"all": ["admin/strategy_calls/desk.css"]}
        js = ["admin/strategy_calls/desk.js"]

    def has_add_permission(self, request):
        return False  # requests come only from the public form

    def get_queryset(self, request):
        now = timezone.now()
        target = SiteSettings.current().response_target_hours
        overdue = Q(status=Status.NEW, received__lt=now - timedelta(hours=target)) if target else Q(pk__in=[])
        return super().get_queryset(request).with_repeat_count().annotate(
            overdue=Case(When(overdue, then=Value(True)), default=Value(False), output_field=BooleanField()),
            past_retention=Case(When(pk__in=StrategyCallRequest.objects.past_retention(now).values("pk"),
                                     then=Value(True)), default=Value(False), output_field=BooleanField()),
        )

    def get_ordering(self, request):
        return ["-is_urgent", "received", "pk"]  # the queue's order: urgent pinned on top, then oldest first

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = triage_users().order_by("first_name", "username")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "assignee":
            field.label_from_instance = lambda user: user.get_full_name() or user.get_username()
        return field

    # The queue

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, {"title": "Strategy-call queue", **(extra_context or {})})
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is None:
            return response
        changelist.result_list = list(changelist.result_list)
        # The queue shows names and message snippets: each request seen there leaves an access record.
        AccessRecord.objects.bulk_create([
            AccessRecord(request=call_request, user=request.user, action=AccessRecord.Action.LISTED)
            for call_request in changelist.result_list
        ])
        queue_filter = next(spec for spec in changelist.filter_specs if isinstance(spec, QueueFilter))
        response.context_data["queue_links"] = list(queue_filter.choices(changelist))
        return response

    @admin.display(description="request", ordering="full_name")
    def queue_entry(self, obj):
        badges = URGENT_BADGE if obj.is_urgent else ""
        count = getattr(obj, "repeat_count", 0)  # requests from the same email address or phone number
        repeats = format_html(' <span class="desk-badge desk-badge--repeat">{} other request{}</span>', count,
                              "" if count == 1 else "s") if count else ""
        return format_html('{}<span class="desk-name">{}</span>{}<span class="desk-snippet">{}</span>', badges,
                           obj.full_name, repeats, Truncator(" ".join(obj.message.split())).chars(140))

    @admin.display(description="source", ordering="source_path")
    def source(self, obj):
        if obj.source_article:
            return obj.source_article.title
        if obj.source_hub:
            return obj.source_hub.title
        if obj.source_path == "/":
            return "Home page"
        return obj.source_path or "—"

    @admin.display(description="age", ordering="received")
    def age(self, obj):
        parts = [format_html('<time datetime="{}" title="{}">{}</time>', obj.received.isoformat(),
                             timezone.localtime(obj.received).strftime("%Y-%m-%d %H:%M"), _short_age(obj.age()))]
        if getattr(obj, "overdue", False):
            parts.append(format_html('<span class="desk-badge desk-badge--overdue">over {} h</span>',
                                     SiteSettings.current().response_target_hours))
        if getattr(obj, "past_retention", False):
            parts.append(RETENTION_BADGE)
        return format_html_join(" ", "{}", ((part,) for part in parts))

    # The request page

    @admin.display(description="urgent")
    def urgency(self, obj):
        button = '<button type="submit" class="button desk-urgent-toggle" name="_urgent" value="{}">{}</button>'
        if obj.is_urgent:
            return format_html("{} " + button, URGENT_BADGE, "0",
                               "Mark not urgent")
        return format_html("Not urgent " + button, "1", "Mark urgent")

    @admin.display(description="email")
    def email_link(self, obj):
        return format_html('<a href="mailto:{}">{}</a>', obj.email, obj.email)

    @admin.display(description="phone")
    def phone_link(self, obj):
        if not obj.phone:
            return "—"
        return format_html('<a href="tel:{}">{}</a>', dialable(obj.phone), obj.phone)

    @admin.display(description="repeat contacts")
    def repeat_contacts(self, obj):
        others = list(obj.repeat_contacts()[:20])
        if not others:
            return "None: the first request from this email address and phone number."
        return format_html('<ul class="desk-repeats">{}</ul>', format_html_join(
            "", '<li><a href="{}">#{} · {} · {}</a></li>',
            ((other.get_admin_url(), other.pk, timezone.localtime(other.received).strftime("%Y-%m-%d"),
              other.get_status_display()) for other in others)))

    @admin.display(description="log")
    def log_buttons(self, obj):
        buttons = format_html_join(
            " ", '<button type="submit" class="button" name="_log" value="{}">{}</button>',
            ((kind.value, kind.label) for kind in LOG_BUTTONS))
        return format_html('{} <button type="submit" class="button" name="_assign_me" value="1">Assign to me</button>',
                           buttons)

    @admin.display(description="reply with")
    def reply_links(self, obj):
        templates = list(ReplyTemplate.objects.all())
        if not templates:
            return format_html('No reply templates yet: <a href="{}">add one</a>.',
                               reverse("admin:strategy_calls_replytemplate_add"))
        links = []
        for template in templates:
            subject, body = template.render(obj)
            links.append((f"mailto:{obj.email}?subject={quote(subject)}&body={quote(body)}", template.name))
        return format_html('<span class="desk-replies">{}</span>',
                           format_html_join(" ", '<a class="button" href="{}">{}</a>', links))

    @admin.display(description="timeline")
    def timeline(self, obj):
        return format_html('<ol class="desk-timeline">{}</ol>', format_html_join(
            "", '<li class="desk-timeline__{}"><time datetime="{}">{}</time> <span>{}</span> <em>{}</em></li>',
            ((kind, at.isoformat(), timezone.localtime(at).strftime("%Y-%m-%d %H:%M"), text,
              user.get_username() if user else "")
             for at, kind, text, user in reversed(obj.timeline()))))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            AccessRecord.objects.create(request_id=object_id, user=request.user, action=AccessRecord.Action.VIEWED)
        return response

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            StatusChange.objects.create(
                request=obj, from_status=form.initial["status"], to_status=obj.status, changed_by=request.user
            )
        assign_me = "_assign_me" in request.POST and triage_users().filter(pk=request.user.pk).exists()
        if assign_me:
            obj.assignee = request.user
        urgent = request.POST.get("_urgent")
        if urgent in ("0", "1") and obj.is_urgent != (urgent == "1"):
            obj.is_urgent = urgent == "1"
            Activity.objects.create(request=obj, user=request.user,
                                    kind=Activity.Kind.URGENT if obj.is_urgent else Activity.Kind.NOT_URGENT)
        super().save_model(request, obj, form, change)
        self._log_activity(request, obj, form, assigned="assignee" in form.changed_data or assign_me)

    def _log_activity(self, request, obj, form, assigned):
        if assigned and obj.assignee_id != form.initial.get("assignee"):
            Activity.objects.create(request=obj, user=request.user, kind=Activity.Kind.ASSIGNED,
                                    text=f"to {obj.assignee.get_username()}" if obj.assignee else "nobody")
            if obj.assignee and obj.assignee != request.user:
                transaction.on_commit(lambda: services.queue_assignment_email(obj.pk, obj.assignee_id))
        if note := form.cleaned_data.get("new_note", "").strip():
            Activity.objects.create(request=obj, user=request.user, kind=Activity.Kind.NOTE, text=note)
        if request.POST.get("_log") in LOG_BUTTONS:
            Activity.objects.create(request=obj, user=request.user, kind=request.POST["_log"])

    def response_change(self, request, obj):
        if STAY_BUTTONS & set(request.POST):
            self.message_user(request, "Saved and logged.", messages.SUCCESS)
            return HttpResponseRedirect(request.get_full_path())
        if "_saveandnext" in request.POST:
            filters = QueryDict(self.get_preserved_filters(request)).get("_changelist_filters", "")
            queue = StrategyCallRequest.objects.in_queue(QueryDict(filters).get("queue", "open"), request.user).queue()
            following = obj.next_in(queue)
            if following is None:
                self.message_user(request, f"Saved {obj}. Nothing else is waiting in this queue.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:strategy_calls_strategycallrequest_changelist")
                                            + (f"?{filters}" if filters else ""))
            self.message_user(request, f"Saved {obj}; this is the next one.", messages.SUCCESS)
            return HttpResponseRedirect(following.get_admin_url()
                                        + (f"?{urlencode({'_changelist_filters': filters})}" if filters else ""))
        return super().response_change(request, obj)

    mark_contacted = _mark_action(Status.CONTACTED)
    mark_scheduled = _mark_action(Status.SCHEDULED)
    mark_closed = _mark_action(Status.CLOSED)
    mark_spam = _mark_action(Status.SPAM)

    @admin.action(description="Retry pending notifications", permissions=["change"])
    def retry_notification(self, request, queryset):
        # Queued for the task worker, not sent here: a mail server that never answers must not hold this page.
        queued = services.queue_pending(queryset)
        self.message_user(request, f"Queued the notifications of {queued} pending request(s) for sending; the "
                                   "notification column shows when they have gone out.", messages.SUCCESS)

    @admin.action(description="Export selected as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="strategy-call-requests.csv"'
        response.write("\ufeff")  # the UTF-8 marker: Excel then reads accents and other scripts right
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        rows = queryset.select_related("assignee", "source_article", "source_hub").order_by("received")
        for call_request in rows:
            writer.writerow(_csv_row(call_request))
        AccessRecord.objects.bulk_create(
            [AccessRecord(request=call_request, user=request.user, action=AccessRecord.Action.EXPORTED)
             for call_request in rows]
        )
        return response

    def get_urls(self):
        report = self.admin_site.admin_view(self.report_view)
        retention = self.admin_site.admin_view(self.retention_view)
        return [
            path("report/", report, name="strategy_calls_strategycallrequest_report"),
            path("retention/", retention, name="strategy_calls_strategycallrequest_retention"),
            *super().get_urls(),
        ]

    def retention_view(self, request):
        """What the scheduled purge would delete now, and the open requests past retention: IDs only."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Retention: what the daily purge would delete",
            "days": settings.STRATEGY_CALL_RETENTION_DAYS,
            "doomed": StrategyCallRequest.objects.due_for_purge().order_by("closed_at", "pk"),
            "kept": StrategyCallRequest.objects.past_retention().order_by("received", "pk"),
        }
        return TemplateResponse(request, "admin/strategy_calls/retention.html", context)

    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        days = int(request.GET["days"]) if request.GET.get("days") in {"30", "90", "365"} else 30
        now = timezone.now()
        counts = {
            f"last_{window}": Count("pk", filter=Q(received__gte=now - timedelta(days=window)))
            for window in REPORT_WINDOWS
        }
        recent = StrategyCallRequest.objects.not_spam().filter(received__gte=now - timedelta(days=max(REPORT_WINDOWS)))
        by_article = (
            recent.filter(source_article__isnull=False)
            .values("source_article__title", "source_article__slug")
            .annotate(**counts)
            .order_by(f"-last_{days}", "source_article__title")
        )
        by_hub = (
            recent.filter(source_hub__isnull=False)
            .values("source_hub__title", "source_hub__slug")
            .annotate(**counts)
            .order_by(f"-last_{days}", "source_hub__title")
        )
        other_pages = [
            {"label": label, **recent.filter(condition).aggregate(**counts)}
            for label, condition in [("Home page", Q(source_path="/")), ("No source", Q(source_path=""))]
        ]
        by_campaign = (
            recent.exclude(utm__utm_campaign=None)
            .values(campaign=KT("utm__utm_campaign"))
            .annotate(**counts)
            .order_by(f"-last_{days}", "campaign")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Which content brings strategy-call requests",
            "days": days,
            "windows": REPORT_WINDOWS,
            "row_height": CHART_ROW_HEIGHT,
            "tables": [
                ("Articles", "Article", _with_bars(by_article, "source_article__title", days)),
                ("Hubs", "Hub", _with_bars(by_hub, "source_hub__title", days)),
                ("Home page and no source", "Source", _with_bars(other_pages, "label", days)),
                ("UTM campaigns", "Campaign", _with_bars(by_campaign, "campaign", days)),
            ],
        }
        return TemplateResponse(request, "admin/strategy_calls/report.html", context)


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "subject"]
    search_fields = ["name", "subject", "body"]


def _short_age(delta):
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return f"{max(int(hours * 60), 0)} min"
    if hours < 48:
        return f"{int(hours)} h"
    return f"{int(hours // 24)} d"


CSV_COLUMNS = [
    "id", "received", "status", "closed", "urgent", "assignee", "full_name", "email", "phone", "contact_method",
    "time_window", "source_path", "source_title", "utm_source", "utm_medium", "utm_campaign", "utm_term",
    "utm_content", "message", "notes",
]


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _csv_row(call_request):
    source = call_request.source_article or call_request.source_hub
    values = [
        call_request.pk, _local(call_request.received), call_request.get_status_display(),
        _local(call_request.closed_at), "yes" if call_request.is_urgent else "no",
        call_request.assignee.get_username() if call_request.assignee else "", call_request.full_name,
        call_request.email, None, call_request.get_contact_method_display(), call_request.get_time_window_display(),
        call_request.source_path, source.title if source else ("Home page" if call_request.source_path == "/" else ""),
        *(call_request.utm.get(key, "") for key in
          ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"]),
        call_request.message, call_request.notes,
    ]
    cells = [_csv_cell(value) for value in values]
    cells[CSV_COLUMNS.index("phone")] = _csv_phone(call_request.phone)
    return cells


def _csv_phone(phone):
    """A phone number Excel shows as typed: not a number (no lost leading zero, no 2.13E+09), never a formula.

    A number of digits and spaces only, or one that starts with +, is written as the text formula ="…", which
    only shows the text; the characters allowed in it are the form's phone characters, so nothing can run.
    """
    if not phone:
        return ""
    if re.fullmatch(r"[0-9 +().\-/extEXT#]+", phone) and '"' not in phone:
        return f'="{phone}"'
    return _csv_cell(phone)


CHART_BAR_WIDTH = 340  # px of the SVG given to the longest bar
CHART_ROW_HEIGHT = 28


def _with_bars(rows, label_key, days):
    top = max((row[f"last_{days}"] for row in rows), default=0) or 1
    return [
        {
            "label": row[label_key],
            "counts": [row[f"last_{window}"] for window in REPORT_WINDOWS],
            "value": row[f"last_{days}"],
            "bar": round(CHART_BAR_WIDTH * row[f"last_{days}"] / top),
            "y": index * CHART_ROW_HEIGHT,
        }
        for index, row in enumerate(rows)
    ]


def _csv_cell(value):
    # A cell starting with = + - @ would run as a formula when the file is opened in a spreadsheet.
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
