"""Cite many references in one step from a page's change form (articles, hubs): pasted BibTeX, RIS or CSL-JSON.

`PasteCitationsAdminMixin` adds the field "Add references from BibTeX, RIS or CSL-JSON" just above the citations
inline. The paste is read and checked with the rest of the form (an entry that cannot be read or saved is an
error beside the field, and nothing is saved); on save each entry is matched to its library entry or added
(`upsert_from_csl()`) and cited after the page's citations, in the pasted order, skipping what is already cited.
The citations go where the inline's went: onto the page, or into its pending revision when the edit goes there
(the workflow's `take_action()` hook runs after the inlines are saved, before the pressed button's step and
before the admin records the page's version with its lists)."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Max

from .formats import parse_references, reference_from_csl, upsert_from_csl

FIELD = "paste_references"


class PasteCitationsForm(forms.ModelForm):
    """The paste field, mixed into a page's admin form by `PasteCitationsAdminMixin.get_form()`."""

    paste_references = forms.CharField(
        label="Add references from BibTeX, RIS or CSL-JSON", required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text="Paste one or many references as Zotero, Mendeley, EndNote, PubMed or a journal's “Cite” button "
                  "export them. On save each is found in the library (same DOI, else same title and year) or added "
                  "to it, and cited after the citations below, in the pasted order; one already cited is skipped.",
    )

    def clean_paste_references(self):
        """The pasted entries as CSL-JSON items, each checked as the library would save it."""
        text = self.cleaned_data.get(FIELD, "")
        if not text.strip():
            return []
        try:
            items = parse_references(text)
            for item in items:
                reference_from_csl(item)
        except ValueError as error:
            raise forms.ValidationError(f"{error} Nothing was saved; the paste is still in the box.") from None
        return items


class PasteCitationsAdminMixin:
    """Put it before WorkflowAdminMixin in the model admin's bases; the page's citations are `page.citations`."""

    paste_fieldset = ("Add references", {"fields": [FIELD]})

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        may_save = self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        return [*fieldsets, self.paste_fieldset] if may_save else fieldsets  # the last one: above the inlines

    def get_form(self, request, obj=None, **kwargs):
        # The model form is made from the model's fields; the paste field is added to it after.
        fields = kwargs.get("fields") or flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in fields if name != FIELD]
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (PasteCitationsForm, form), {})

    def save_form(self, request, form, change):
        request.pasted_citations = len(form.cleaned_data.get(FIELD) or [])
        return super().save_form(request, form, change)

    def get_formsets_with_inlines(self, request, obj=None):
        """The citations inline counts the pasted entries when the save publishes (CitationFormSet.clean). The
        admin makes the formsets before it validates the form, and validates them after: the count is read then."""
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if hasattr(formset, "pasted"):
                pasted = property(lambda formset: getattr(request, "pasted_citations", 0))
                formset = type(formset.__name__, (formset,), {"pasted": pasted})
            yield formset, inline

    def take_action(self, request, form, page):
        """After the inlines are saved to `page` (the page, or its revision), before the button's step."""
        items = form.cleaned_data.get(FIELD) or []
        if items:
            self.cite_pasted(request, page, items)
        return super().take_action(request, form, page)

    def cite_pasted(self, request, page, items):
        relation = page._meta.get_field("citations")
        rows, parent = relation.related_model._default_manager, relation.field.name
        cited = set(rows.filter(**{parent: page}).values_list("reference_id", flat=True))
        order = rows.filter(**{parent: page}).aggregate(last=Max("order"))["last"]
        order = -1 if order is None else order
        added = new = 0
        for item in items:
            reference, created = upsert_from_csl(item)
            new += created
            if reference.pk in cited:
                continue
            order += 1
            rows.create(**{parent: page, "reference": reference, "order": order})
            cited.add(reference.pk)
            added += 1
        skipped = len(items) - added
        self.message_user(request, f"Pasted references: {added} cited ({new} new to the library)"
                                   + (f", {skipped} already cited." if skipped else "."), messages.SUCCESS)
