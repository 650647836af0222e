from urllib.parse import urlencode

from django import template
from django.urls import reverse

from mindlab import jsonld

register = template.Library()


@register.filter
def absolute(path):
    """A path on this site as an absolute URL on the canonical origin (DJANGO_SITE_URL); a full URL as it is."""
    return jsonld.absolute(path)


@register.simple_tag
def og_locale():
    """The site's language as Open Graph names it: en_US."""
    return jsonld.locale()


@register.simple_tag(takes_context=True)
def page_structured_data(context, page):
    """A hub's or an article's JSON-LD, with the request's Site settings (read once for the page and its footer)."""
    return page.structured_data(site=context["site_settings"])


@register.simple_tag(takes_context=True)
def home_structured_data(context):
    """The home page's Organization and WebSite (with its SearchAction), from Site settings."""
    site = context["site_settings"]
    return jsonld.graph(jsonld.organization(site), jsonld.website(site))


@register.filter
def duration(value):
    """A timedelta as a listener reads it: "4 min", "1 h 05 min", or "45 s" when under a minute."""
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min"
    return f"{seconds} s"


@register.simple_tag(takes_context=True)
def strategy_call_url(context):
    """The strategy-call page, told which page the visitor came from. The utm_* tags a visitor arrived with
    are added in the browser (static/js/site.js): a cached page is the same for every visitor."""
    return f"{reverse('strategy_calls:request')}?{urlencode({'from': context['request'].path})}"


@register.filter
def field_anchor(field):
    """The id an error summary links to for a bound form field: the field itself, or a group's first choice."""
    widget = field.field.widget
    if getattr(widget, "allow_multiple_selected", False) or getattr(widget, "input_type", "") in ("radio", "checkbox"):
        if hasattr(widget, "choices") and field.subwidgets:
            return field.subwidgets[0].id_for_label
    return field.id_for_label or field.auto_id
