import csv
from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from . import services
from .models import AccessRecord, Status, StatusChange, StrategyCallRequest

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
        changed = queryset.move_to(status, by=request.user)
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


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StrategyCallRequest)
class StrategyCallRequestAdmin(admin.ModelAdmin):
    list_display = ["received", "urgent_badge", "full_name", "email", "source_path", "status", "assignee",
                    "notification"]
    list_display_links = ["received", "full_name"]
    list_filter = ["status", "is_urgent", NotificationPendingFilter, "received", "source_hub"]
    search_fields = ["full_name", "email", "message"]
    date_hierarchy = "received"
    list_select_related = ["assignee"]
    readonly_fields = SUBMITTED_FIELDS
    fieldsets = [
        ("Triage", {"fields": ["status", "assignee", "notes"]}),
        ("Request", {"fields": ["received", "is_urgent", "full_name", "email", "phone", "message",
                                "contact_method", "time_window", "consent"]}),
        ("Where it came from", {"fields": ["source_path", "source_article", "source_hub", "utm"]}),
        ("Delivery and abuse checks", {"classes": ["collapse"],
                                       "fields": ["staff_notified_at", "acknowledged_at", "spam_reason", "ip_hash"]}),
    ]
    inlines = [StatusChangeInline]
    actions = ["mark_new", "mark_contacted", "mark_scheduled", "mark_closed", "mark_spam", "retry_notification",
               "export_csv"]

    def has_add_permission(self, request):
        return False  # requests come only from the public form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            AccessRecord.objects.create(request_id=object_id, user=request.user, action=AccessRecord.Action.VIEWED)
        return response

    @admin.display(description="urgent", ordering="-is_urgent", boolean=False)
    def urgent_badge(self, obj):
        if not obj.is_urgent:
            return ""
        badge = '<strong style="color:#fff;background:#b42318;padding:2px 6px;border-radius:4px">{}</strong>'
        return format_html(badge, "URGENT")

    @admin.display(description="notification")
    def notification(self, obj):
        if obj.status == Status.SPAM:
            return "not sent (spam)"
        return "pending" if obj.notification_pending else "sent"

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # Only what this form changed is written, and the status only through move_to(), which keeps the spam
        # reason right and writes the history: a page opened before another tab moved the request undoes nothing.
        model_fields = {field.name for field in obj._meta.get_fields() if field.concrete}
        obj.save(update_fields=[name for name in form.changed_data if name in model_fields and name != "status"])
        if "status" in form.changed_data:
            obj.move_to(obj.status, by=request.user)

    mark_new = _mark_action(Status.NEW)
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
        writer = csv.writer(response)
        columns = ["id", "received", "status", "is_urgent", "full_name", "email", "phone", "contact_method",
                   "time_window", "source_path", "message", "notes"]
        writer.writerow(columns)
        for call_request in queryset.order_by("received"):
            writer.writerow([_csv_cell(getattr(call_request, column)) for column in columns])
        AccessRecord.objects.bulk_create(
            [AccessRecord(request=call_request, user=request.user, action=AccessRecord.Action.EXPORTED)
             for call_request in queryset]
        )
        return response

    def get_urls(self):
        report = self.admin_site.admin_view(self.report_view)
        return [path("report/", report, name="strategy_calls_strategycallrequest_report"), *super().get_urls()]

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
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Which content brings strategy-call requests",
            "days": days,
            "windows": REPORT_WINDOWS,
            "row_height": CHART_ROW_HEIGHT,
            "tables": [
                ("Articles", _with_bars(by_article, "source_article__title", days)),
                ("Hubs", _with_bars(by_hub, "source_hub__title", days)),
            ],
        }
        return TemplateResponse(request, "admin/strategy_calls/report.html", context)


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
