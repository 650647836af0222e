import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

TRIAGE_GROUP = "Strategy-call triage"


class Status(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    SCHEDULED = "scheduled", "Scheduled"
    CLOSED = "closed", "Closed"
    SPAM = "spam", "Spam"


OPEN_STATUSES = [Status.NEW, Status.CONTACTED, Status.SCHEDULED]
CLOSED_STATUSES = [Status.CLOSED, Status.SPAM]


def triage_users():
    """The people a request can be assigned to: active staff in the triage group."""
    return get_user_model().objects.filter(is_active=True, is_staff=True, groups__name=TRIAGE_GROUP).distinct()


def dialable(phone):
    """The number to dial: + and digits, without an extension ("x12", "ext. 12", "#12")."""
    number = re.split(r"(?i)(?:ext\.?|x|#)", phone or "")[0]
    return re.sub(r"[^\d+]", "", number)


def phone_digits(phone):
    """The digits that identify a phone number whatever its spacing, to group repeat contacts."""
    return dialable(phone).replace("+", "")


class StrategyCallRequestQuerySet(models.QuerySet):
    def notification_pending(self):
        """Real requests for which a staff notification or the visitor's acknowledgement has not gone out."""
        return self.exclude(status=Status.SPAM).filter(
            Q(staff_notified_at__isnull=True) | Q(acknowledged_at__isnull=True)
        )

    def not_spam(self):
        return self.exclude(status=Status.SPAM)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def queue(self):
        """The triage queue's order: urgent pinned on top, then oldest first."""
        return self.order_by("-is_urgent", "received", "pk")

    def in_queue(self, name, user):
        """One of the queue's quick filters; every one but "all" shows open requests only."""
        if name == "all":
            return self
        queryset = self.open()
        if name == "mine":
            return queryset.filter(assignee=user)
        if name == "unassigned":
            return queryset.filter(assignee__isnull=True)
        if name == "urgent":
            return queryset.filter(is_urgent=True)
        if name == "waiting":
            return queryset.filter(status=Status.CONTACTED)
        if name == "past-retention":
            return queryset.past_retention()
        return queryset

    def past_retention(self, now=None):
        """Open requests received longer ago than the retention period: flagged in the queue, never purged."""
        now = now or timezone.now()
        return self.open().filter(received__lt=now - timedelta(days=settings.STRATEGY_CALL_RETENTION_DAYS))

    def due_for_purge(self, now=None):
        """Closed and spam requests closed longer ago than the retention period."""
        now = now or timezone.now()
        return self.filter(status__in=CLOSED_STATUSES,
                           closed_at__lt=now - timedelta(days=settings.STRATEGY_CALL_RETENTION_DAYS))

    def with_repeat_count(self):
        """Annotate `repeat_count`: the other requests sent from the same email address or phone number."""
        others = (
            StrategyCallRequest.objects.filter(
                Q(email__iexact=OuterRef("email")) | (Q(phone_digits=OuterRef("phone_digits")) & ~Q(phone_digits=""))
            )
            .exclude(pk=OuterRef("pk"))
            .order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(repeat_count=Coalesce(Subquery(others), 0))


class StrategyCallRequest(models.Model):
    """A visitor's request for a strategy call. Personal, often sensitive: only the triage group sees it."""

    class ContactMethod(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"

    class TimeWindow(models.TextChoices):
        MORNING = "morning", "Morning (9am–12pm)"
        AFTERNOON = "afternoon", "Afternoon (12pm–5pm)"
        EVENING = "evening", "Evening (5pm–8pm)"

    class SpamReason(models.TextChoices):
        HONEYPOT = "honeypot", "Filled the hidden field"
        TOO_FAST = "too-fast", "Sent faster than a person can type"
        BAD_TOKEN = "bad-token", "Missing or forged form timestamp"

    received = models.DateTimeField(auto_now_add=True, db_index=True)
    full_name = models.CharField(max_length=120)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=32, blank=True)
    message = models.TextField("what they would like to address", max_length=5000)
    contact_method = models.CharField("preferred contact", max_length=10, choices=ContactMethod.choices, blank=True)
    time_window = models.CharField("preferred time", max_length=10, choices=TimeWindow.choices, blank=True)
    consent = models.BooleanField("consented to be contacted")
    source_path = models.CharField("source page", max_length=300, blank=True)
    source_article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="strategy_call_requests"
    )
    source_hub = models.ForeignKey(
        "hubs.Hub", on_delete=models.SET_NULL, null=True, blank=True, related_name="strategy_call_requests",
        help_text="The hub page the request came from, or the primary hub of the article it came from.",
    )
    utm = models.JSONField("UTM parameters", default=dict, blank=True)
    ip_hash = models.CharField("IP address (salted hash)", max_length=64, blank=True)
    form_token = models.CharField(max_length=32, blank=True, editable=False,
                                  help_text="The one-time token of the form it was sent with (spam.Token).")
    spam_reason = models.CharField(max_length=10, choices=SpamReason.choices, blank=True)
    is_urgent = models.BooleanField(
        "urgent", default=False,
        help_text="The message contains crisis language, or staff marked it urgent (recorded in the timeline).",
    )
    phone_digits = models.CharField(max_length=32, blank=True, editable=False, db_index=True,
                                    help_text="The phone number's digits, to group repeat contacts.")
    closed_at = models.DateTimeField(
        null=True, blank=True, editable=False, db_index=True,
        help_text="When the request was closed or marked spam; retention is measured from here.",
    )

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Only members of the Strategy-call triage group; they are told by email.",
    )
    notes = models.TextField(blank=True, help_text="Internal notes; never shown to the visitor.")
    staff_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(
        "visitor acknowledged at", null=True, blank=True, editable=False,
        help_text="When the confirmation email to the visitor was sent.",
    )
    # When a sender took each email on; cleared when sending fails (strategy_calls/services.py).
    staff_notification_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledgement_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = StrategyCallRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received"]
        verbose_name = "strategy-call request"
        # The rate limit counts an address's requests in the window (spam.over_rate_limit()).
        indexes = [models.Index(fields=["ip_hash", "received"], name="strategy_call_rate_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(consent=True), name="strategy_call_has_consent"),
            models.CheckConstraint(
                condition=Q(spam_reason="") | Q(status=Status.SPAM), name="flagged_strategy_call_is_spam"
            ),
            # A form's token works once, on every server and whatever the cache loses: the database says so.
            models.UniqueConstraint(
                fields=["form_token"], condition=~Q(form_token=""), name="strategy_call_token_once"
            ),
        ]

    def __str__(self):
        return f"Request #{self.pk} from {self.full_name}"

    def save(self, *args, **kwargs):
        # Derived from the row's own fields: the digits that group repeat contacts, and when it was closed.
        self.phone_digits = phone_digits(self.phone)
        if self.status in CLOSED_STATUSES:
            self.closed_at = self.closed_at or timezone.now()
        else:
            self.closed_at = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "closed_at"}
        super().save(*args, **kwargs)

    def get_admin_url(self):
        return reverse("admin:strategy_calls_strategycallrequest_change", args=[self.pk])

    def clean(self):
        if self.assignee_id and not triage_users().filter(pk=self.assignee_id).exists():
            raise ValidationError({"assignee": "Only members of the Strategy-call triage group can be assigned."})

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def repeat_contacts(self):
        """Other requests sent from the same email address or phone number, newest first."""
        same = Q(email__iexact=self.email)
        if self.phone_digits:
            same |= Q(phone_digits=self.phone_digits)
        return StrategyCallRequest.objects.filter(same).exclude(pk=self.pk).order_by("-received")

    def next_in(self, queue):
        """The request after this one in `queue` (a queryset in queue order), or the first one left before it."""
        after = Q(received__gt=self.received) | Q(received=self.received, pk__gt=self.pk)
        later = Q(is_urgent=self.is_urgent) & after
        if self.is_urgent:
            later |= Q(is_urgent=False)
        queue = queue.exclude(pk=self.pk)
        return queue.filter(later).first() or queue.first()

    def age(self, now=None):
        return (now or timezone.now()) - self.received

    def is_overdue(self, target_hours, now=None):
        """Still new (nobody has answered) past the response target set in Site settings."""
        return bool(target_hours) and self.status == Status.NEW and self.age(now) > timedelta(hours=target_hours)

    def is_past_retention(self, now=None):
        now = now or timezone.now()
        return self.is_open and self.received < now - timedelta(days=settings.STRATEGY_CALL_RETENTION_DAYS)

    def timeline(self):
        """Everything that happened to the request, oldest first: (time, kind, text, user)."""
        entries = [(self.received, "received", "Request received", None)]
        if self.staff_notified_at:
            entries.append((self.staff_notified_at, "email", "Staff notification emailed", None))
        if self.acknowledged_at:
            entries.append((self.acknowledged_at, "email", "Acknowledgement emailed to the sender", None))
        for change in self.status_changes.select_related("changed_by"):
            entries.append((change.changed_at, "status", f"Status: {change}", change.changed_by))
        for activity in self.activities.select_related("user"):
            entries.append((activity.at, activity.kind, activity.summary(), activity.user))
        for record in self.access_records.exclude(action=AccessRecord.Action.LISTED).select_related("user"):
            entries.append((record.at, record.action, record.get_action_display(), record.user))
        return sorted(entries, key=lambda entry: entry[0])

    @property
    def notification_pending(self):
        return self.status != Status.SPAM and (self.staff_notified_at is None or self.acknowledged_at is None)


class StatusChange(models.Model):
    """Who moved a request from one status to another, and when."""

    request = models.ForeignKey(StrategyCallRequest, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=Status.choices)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class AccessRecord(models.Model):
    """Who looked at or exported a request, and when: personal data leaves a trail."""

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        EXPORTED = "exported", "Exported as CSV"
        LISTED = "listed", "Seen in the queue"

    request = models.ForeignKey(StrategyCallRequest, on_delete=models.CASCADE, related_name="access_records")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} {self.get_action_display().lower()} request #{self.request_id}"


class Activity(models.Model):
    """A line in a request's timeline written by staff: a note, a call, an email, an assignment, urgency."""

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        CALL_NO_ANSWER = "call-no-answer", "Called, no answer"
        CALL_SPOKE = "call-spoke", "Called, spoke to them"
        EMAIL = "email", "Emailed them"
        ASSIGNED = "assigned", "Assigned"
        URGENT = "urgent", "Marked urgent"
        NOT_URGENT = "not-urgent", "Marked not urgent"

    request = models.ForeignKey(StrategyCallRequest, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField(blank=True, max_length=5000)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "activities"

    def __str__(self):
        return f"{self.summary()} (request #{self.request_id})"

    def summary(self):
        label = self.get_kind_display()
        return f"{label}: {self.text}" if self.text else label


class ReplyTemplate(models.Model):
    """A reply staff start an email from; the triage group edits them in admin."""

    name = models.CharField(max_length=80, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(
        max_length=5000,
        help_text="{first_name} becomes the sender's first name. Keep it short and warm; never quote their message.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def render(self, call_request):
        first_name = call_request.full_name.split()[0] if call_request.full_name.split() else ""
        return self.subject, self.body.replace("{first_name}", first_name)
