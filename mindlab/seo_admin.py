"""The SEO fields, dates and slug on a page's admin form (articles and hubs).

`PageForm` adds "Mark as updated" and hands static/admin/js/seo-fields.js what it needs as data attributes
(the rules are mindlab/seo.py's): live character counters with the recommended ranges beside the SEO title and
meta description, a search-result preview that follows the typing, and a slug suggested from the title on a
new page (an existing page keeps its slug unless the editor asks for a suggestion). No inline script: the
script and its stylesheet are the form's media.
"""

from django import forms
from django.conf import settings
from django.utils import timezone

from . import seo
from .workflow import WorkflowForm

SLUG_PLACEHOLDER = "slug-placeholder"


class PageForm(WorkflowForm):
    mark_updated = forms.BooleanField(
        label="Mark as updated", required=False,
        help_text="Tick when the content changed in substance: “last updated” becomes now when you save. Leave it "
        "for a typo or a layout fix, so readers keep the date of the last real update.",
    )

    class Media:
        js = ["admin/js/seo-fields.js"]
        css = {"all": ["admin/css/seo-fields.css"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields, page = self.fields, self.instance
        address = type(page)(slug=SLUG_PLACEHOLDER).get_absolute_url()
        title = {"data-seo-title-source": "id_title"}
        if "seo_title" in fields:
            fields["seo_title"].widget.attrs.update({
                **title, "data-seo-counter": "title", "data-max": seo.TITLE_MAX, "data-site-name": settings.SITE_NAME,
                "data-separator": seo.TITLE_SEPARATOR, "data-preview-chars": seo.PREVIEW_TITLE_CHARS,
            })
        if "meta_description" in fields:
            fields["meta_description"].widget = forms.Textarea(attrs={
                "rows": 4, "maxlength": page._meta.get_field("meta_description").max_length,
                "data-seo-counter": "description", "data-min": seo.DESCRIPTION_MIN, "data-max": seo.DESCRIPTION_MAX,
                "data-preview-chars": seo.PREVIEW_DESCRIPTION_CHARS,
                "data-fallback-source": "id_excerpt" if "excerpt" in fields else "id_tagline",
                "data-site-url": settings.SITE_URL, "data-address": address, "data-placeholder": SLUG_PLACEHOLDER,
                "data-live-slug": page.slug if page.pk else "",
            })
        if "slug" in fields:
            fields["slug"].widget.attrs.update({
                **title, "data-slug-max": seo.SLUG_MAX, "data-stop-words": " ".join(sorted(seo.STOP_WORDS)),
                "data-slug-auto": "" if page.pk else "1",
            })
            fields["slug"].help_text = (
                f"The page's address. Suggested from the title on a new page (at most {seo.SLUG_MAX} characters, "
                "short words such as “the” and “of” left out); an existing page keeps its address unless you "
                "change it (a published page leaves a redirect behind)."
            )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("mark_updated"):
            cleaned_data["content_updated"] = timezone.now()
            if "content_updated" not in self.fields:  # read-only here: the instance takes it all the same
                self.instance.mark_updated(cleaned_data["content_updated"])
        return cleaned_data
