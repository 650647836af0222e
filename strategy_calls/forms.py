import re
import time
from urllib.parse import parse_qsl

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinLengthValidator, RegexValidator
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from articles.models import Article
from hubs.models import Hub

from . import spam
from .models import Status, StrategyCallRequest

single_line = RegexValidator(r"^[^\x00-\x1f\x7f]*$", "Use a single line without special characters.")
phone_number = RegexValidator(
    r"^\+?[0-9][0-9 ().\-/]{4,30}(?:\s*(?:x|ext\.?)\s*[0-9]{1,6})?$",
    "Enter a phone number with digits, spaces, brackets or dashes, e.g. +1 212 555 0100.",
)
UTM_KEYS = {"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"}


def clean_utm(query):
    """Only the five utm_* keys, each short: the rest of a query string is nobody's business."""
    return {key: value[:200] for key, value in parse_qsl(query or "")[:20] if key in UTM_KEYS and value}


def clean_source(path):
    """A path on this site, or nothing."""
    if not path or len(path) > 300 or not path.startswith("/") or path.startswith("//"):
        return ""
    if not url_has_allowed_host_and_scheme(path, allowed_hosts=None) or re.search(r"[\x00-\x1f\\\\]", path):
        return ""
    return path


def attribute(path):
    """The article and hub a source path belongs to, for the report of which content brings requests."""
    try:
        match = resolve(path.split("?")[0]) if path else None
    except Resolver404:
        match = None
    if match and match.view_name == "articles:detail":
        article = Article.objects.select_related("primary_hub").filter(slug=match.kwargs["slug"]).first()
        return article, article.primary_hub if article else None
    if match and match.view_name == "hubs:detail":
        return None, Hub.objects.filter(slug=match.kwargs["slug"]).first()
    return None, None


class StrategyCallForm(forms.ModelForm):
    EXPIRED = ("This form was open too long, so we have refreshed it. Everything you typed is still here: please "
               "check it and send it again.")
    USED = ("This form has already been sent once, so we have refreshed it. Everything you typed is still here: "
            "to send it as a new request, send it again.")

    # Hidden from people by CSS and from assistive technology; bots fill in anything called "website".
    website = forms.CharField(required=False, label="Leave this field empty")
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    source = forms.CharField(required=False, widget=forms.HiddenInput)
    utm = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = StrategyCallRequest
        fields = ["full_name", "email", "phone", "message", "contact_method", "time_window", "consent"]
        labels = {
            "full_name": "Full name",
            "email": "Email",
            "phone": "Phone (optional)",
            "message": "What would you like to address?",
            "contact_method": "Preferred contact method (optional)",
            "time_window": "Best time to reach you (optional)",
            "consent": "I agree to be contacted about my request",
        }
        help_texts = {
            "message": "20 to 5,000 characters. Share as much or as little as you like.",
            "consent": (
                "We use these details only to reply to this request. They are seen only by the small team "
                "that arranges calls, never shared or used for marketing, and deleted once the request is "
                "closed and no longer needed."
            ),
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "message": forms.Textarea(attrs={"rows": 6}),
            "contact_method": forms.RadioSelect,
            "time_window": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["full_name"].validators.append(single_line)
        self.fields["phone"].validators.append(phone_number)
        self.fields["message"].validators.append(MinLengthValidator(20))
        self.fields["message"].widget.attrs["minlength"] = 20
        self.fields["consent"].required = True
        self.fields["consent"].error_messages["required"] = "Please agree to be contacted so we can reply."
        for name in ("contact_method", "time_window"):
            self.fields[name].choices = [choice for choice in self.fields[name].choices if choice[0]]
            self.fields[name].required = False

    def clean_email(self):
        email = self.cleaned_data["email"]
        single_line(email)
        return email

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone and not 6 <= sum(character.isdigit() for character in phone) <= 20:
            raise ValidationError("Enter a phone number with 6 to 20 digits.")
        return phone

    def clean(self):
        cleaned_data = super().clean()
        try:
            self.token = spam.read_token(cleaned_data.get("started"))
        except spam.TokenExpired:
            self.token = None
            self.refuse_token(self.EXPIRED)
        return cleaned_data

    def refuse_token(self, message):
        """Send the form back with `message` and a fresh token, everything typed kept."""
        # Started as long ago as the fill-time check asks for: the visitor has typed it all already.
        fresh = spam.start_token(time.time() - settings.STRATEGY_CALL_MIN_FILL_SECONDS)
        self.data = self.data.copy()  # request.POST cannot be changed
        self.data[self.add_prefix("started")] = fresh
        self.add_error(None, message)

    def token_used(self):
        """Whether a stored request already carries this form's token."""
        return bool(self.token) and StrategyCallRequest.objects.filter(form_token=self.token.nonce).exists()

    @property
    def field_errors(self):
        return {name: errors for name, errors in self.errors.items() if name != NON_FIELD_ERRORS}

    def spam_reason(self):
        if self.cleaned_data.get("website"):
            return StrategyCallRequest.SpamReason.HONEYPOT
        elapsed = time.time() - self.token.started if self.token else None
        if elapsed is None or elapsed < 0:
            return StrategyCallRequest.SpamReason.BAD_TOKEN
        if elapsed < settings.STRATEGY_CALL_MIN_FILL_SECONDS:
            return StrategyCallRequest.SpamReason.TOO_FAST
        return ""

    def is_urgent(self):
        message = " ".join(self.cleaned_data["message"].lower().split())
        return any(phrase.lower() in message for phrase in settings.STRATEGY_CALL_CRISIS_PHRASES)

    def save(self, commit=True, *, ip_digest=""):
        request = super().save(commit=False)
        request.source_path = clean_source(self.cleaned_data.get("source"))
        request.source_article, request.source_hub = attribute(request.source_path)
        request.utm = clean_utm(self.cleaned_data.get("utm"))
        request.ip_hash = ip_digest
        request.form_token = self.token.nonce if self.token else ""
        request.spam_reason = self.spam_reason()
        request.status = Status.SPAM if request.spam_reason else Status.NEW
        request.is_urgent = self.is_urgent()
        if commit:
            request.save()
        return request
