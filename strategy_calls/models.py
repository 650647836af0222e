from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse


class Status(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    SCHEDULED = "scheduled", "Scheduled"
    CLOSED = "closed", "Closed"
    SPAM = "spam", "Spam"


class StrategyCallRequestQuerySet(models.QuerySet):
    def notification_pending(self):
        """Real requests for which a staff notification or the visitor's acknowledgement has not gone out."""
        return self.exclude(status=Status.SPAM).filter(
            Q(staff_notified_at__isnull=True) | Q(acknowledged_at__isnull=True)
        )

    def not_spam(self):
        return self.exclude(status=Status.SPAM)

    def move_to(self, status, *, by=None):
        """Move each request here to `status` as StrategyCallRequest.move_to() does; the number that moved."""
        with transaction.atomic():
            return sum(request.move_to(status, by=by) is not None for request in self.order_by("pk"))


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
        STAFF = "staff", "Marked as spam by staff"

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
    is_urgent = models.BooleanField("urgent", default=False, help_text="The message contains crisis language.")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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

    def get_admin_url(self):
        return reverse("admin:strategy_calls_strategycallrequest_change", args=[self.pk])

    def move_to(self, status, *, by=None):
        """Move this request to `status` and record who did it, in one transaction: the new StatusChange,
        or None when the request is in that status already (no history row for a no-op).

        The spam reason follows the status (the flagged_strategy_call_is_spam constraint): set to "marked
        by staff" when a request is moved into Spam, cleared when it leaves. The status is read under a row
        lock, so the history says where the request really came from, whatever another tab did meanwhile.
        """
        status = Status(status)
        with transaction.atomic():
            rows = type(self).objects.filter(pk=self.pk)
            current = rows.select_for_update().values_list("status", flat=True).get()
            if current == status:
                self.status = current
                return None
            spam_reason = self.SpamReason.STAFF if status == Status.SPAM else ""
            rows.update(status=status, spam_reason=spam_reason)
            self.status, self.spam_reason = status, spam_reason
            return StatusChange.objects.create(request=self, from_status=current, to_status=status, changed_by=by)

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

    request = models.ForeignKey(StrategyCallRequest, on_delete=models.CASCADE, related_name="access_records")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} {self.get_action_display().lower()} request #{self.request_id}"
