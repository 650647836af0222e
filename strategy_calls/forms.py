import logging
import re
import time
from urllib.parse import parse_qsl

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinLengthValidator, RegexValidator
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from articles.models import Article
from hubs.models import Hub

from . import crisis, spam
from .models import Status, StrategyCallRequest

log = logging.getLogger(__name__)

single_line = RegexValidator(r"^[^\x00-\x1f\x7f]*$", "Use a single line without special characters.")
UTM_KEYS = {"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"}


PHONE_PROBLEMS = {
    phonenumbers.ValidationResult.TOO_SHORT: "This phone number is too short: please check it.",
    phonenumbers.ValidationResult.TOO_LONG: (
        "This phone number is too long: a number from another country starts with + and its country code, "
        "e.g. +44 20 7946 0958."),
    phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "Please add the area code, e.g. (212) 555-0147.",
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: (
        "The country code after the + is not one we know: please check it."),
}
PHONE_INVALID = ("This does not look like a phone number in use: please check it (a number from another country "
                 "starts with + and its country code), or leave it empty and we will reply by email.")


def normalise_phone(text):
    """`text` as +CC followed by the number grouped the way its country writes it, or a ValidationError.

    Numbers without a country code are read as numbers of DJANGO_STRATEGY_CALL_PHONE_REGION.
    """
    region = settings.STRATEGY_CALL_PHONE_REGION
    if re.search(r"[\x00-\x1f\x7f]", text):
        raise ValidationError(PHONE_INVALID, code="invalid")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        result = {
            error.INVALID_COUNTRY_CODE: phonenumbers.ValidationResult.INVALID_COUNTRY_CODE,
            error.TOO_SHORT_NSN: phonenumbers.ValidationResult.TOO_SHORT,
            error.TOO_SHORT_AFTER_IDD: phonenumbers.ValidationResult.TOO_SHORT,
            error.TOO_LONG: phonenumbers.ValidationResult.TOO_LONG,
        }.get(error.error_type)
        raise ValidationError(PHONE_PROBLEMS.get(result, PHONE_INVALID), code="invalid") from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise ValidationError(PHONE_PROBLEMS.get(reason, PHONE_INVALID), code="invalid")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(PHONE_INVALID, code="invalid")
    readable = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if len(readable) > StrategyCallRequest._meta.get_field("phone").max_length:
        raise ValidationError(PHONE_PROBLEMS[phonenumbers.ValidationResult.TOO_LONG], code="invalid")
    return readable


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


class TelInput(forms.TextInput):
    """A phone number field: phones show their number pad, browsers offer the visitor's own number."""

    input_type = "tel"


class StrategyCallForm(forms.ModelForm):
    EXPIRED = ("This form was open too long, so we have refreshed it. Everything you typed is still here: please "
               "check it and send it again.")
    USED = ("This form has already been sent once, so we have refreshed it. Everything you typed is still here: "
            "to send it as a new request, send it again.")

    # Hidden from people by CSS and from assistive technology; bots fill in anything called "website".
    website = forms.CharField(required=False, label="Leave this field empty")
    # Longer than the stored field: what is typed may carry brackets and spaces that the stored form does not.
    phone = forms.CharField(
        required=False, max_length=40, label="Phone (optional)",
        help_text="For example (212) 555-0147, or with the country code: +44 20 7946 0958.",
        widget=TelInput(attrs={"autocomplete": "tel"}),
    )
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
            "message": forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
            "contact_method": forms.RadioSelect,
            "time_window": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["full_name"].validators.append(single_line)
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
        """The number in one readable international form (+1 212-555-0147), whatever way it was typed."""
        phone = self.cleaned_data["phone"]
        return normalise_phone(phone) if phone else ""

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

    def warning_signs(self):
        return crisis.warning_signs(self.cleaned_data["message"])

    def is_urgent(self):
        try:
            return bool(self.warning_signs())
        except Exception:  # a request is never lost to a broken matcher; unsure means urgent, so a person looks first
            log.exception("Matching warning signs failed; the request is marked urgent to be safe.")
            return True

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
