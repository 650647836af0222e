from django import forms
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from .citation import name_text, names_from_apa
from .models import Reference


class NameListField(forms.CharField):
    """A list of CSL names edited as text: one name a line, "Family, Given" or an organisation as written."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *, encoder=None, decoder=None, **kwargs):  # what a JSONField passes to its form field
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(name_text(name) for name in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [name for line in (value or "").splitlines() for name in names_from_apa(line)]


class ReferenceForm(forms.ModelForm):
    # Set by ReferenceAdmin.get_form: the form is in the pop-up opened from a page's citations.
    is_popup = False

    class Meta:
        model = Reference
        fields = ["authors", "year", "title", "source_type", "evidence", "container", "editors", "publisher", "volume",
                  "issue", "pages", "doi", "url"]
        field_classes = {"authors": NameListField, "editors": NameListField}

    def clean_doi(self):
        """A DOI already in the library is an error beside the field, linking to that reference (and, in the
        pop-up, offering to cite it instead)."""
        doi = self.cleaned_data.get("doi")
        existing = Reference.objects.filter(doi=doi).exclude(pk=self.instance.pk).first() if doi else None
        if existing:
            change = reverse("admin:references_reference_change", args=[existing.pk])
            message = format_html('This DOI is already in the library: <a href="{}">{}</a>.', change, existing)
            if self.is_popup:
                pick = reverse("admin:references_reference_pick", args=[existing.pk])
                pick += "?" + urlencode({IS_POPUP_VAR: 1, TO_FIELD_VAR: "id"})
                message = format_html('{} <a href="{}" class="button reference-pick">Cite this one instead</a>',
                                      message, pick)
            raise forms.ValidationError(message, code="duplicate_doi")
        return doi


class PasteForm(forms.Form):
    text = forms.CharField(
        label="BibTeX, RIS or CSL-JSON",
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "reference-paste"}),
        help_text="Paste one or many references, as exported by Zotero, Mendeley, EndNote, PubMed or a journal's "
                  "“Cite” button. A reference already in the library (same DOI, else same title and year) is "
                  "matched, not copied.",
    )
