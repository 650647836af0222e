import re

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from mindlab.models import ContentQuerySet, HttpsURLField

from . import citation
from .citation import name_text, names_from_apa

DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normalise_doi(value):
    """'https://doi.org/10.1038/NRN3381 ' → '10.1038/nrn3381'. DOIs are case-insensitive."""
    return DOI_PREFIXES.sub("", (value or "").strip()).strip().lower()


class DOIField(models.CharField):
    """Stores a DOI in its one canonical form, whatever form it was pasted in."""

    default_validators = [
        RegexValidator(r"^10\.\d{4,9}/\S+$", 'Enter a DOI such as "10.1038/nrn3381" (a doi.org link works too).')
    ]

    def to_python(self, value):
        return normalise_doi(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = normalise_doi(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class Reference(models.Model):
    """One source in the shared library, cited by any number of hubs and articles."""

    class SourceType(models.TextChoices):
        """What the source is: it drives the label on pages, the APA form and the JSON-LD type."""

        JOURNAL_ARTICLE = "journal-article", "Journal article"
        BOOK = "book", "Book"
        CHAPTER = "chapter", "Book chapter"
        REPORT = "report", "Government or agency report"
        GUIDELINE = "guideline", "Guideline"
        WEB_PAGE = "web-page", "Web page"
        OTHER = "other", "Other"

    class Evidence(models.TextChoices):
        """What kind of evidence a paper is; pages show it as the reference's label when it is set."""

        SYSTEMATIC_REVIEW = "systematic-review", "Systematic review"
        META_ANALYSIS = "meta-analysis", "Meta-analysis"
        PRIMARY_RESEARCH = "primary-research", "Primary research"
        REVIEW_ARTICLE = "review-article", "Review article"

    # CSL item types and schema.org types by source type.
    CSL_TYPES = {"journal-article": "article-journal", "book": "book", "chapter": "chapter", "report": "report",
                 "guideline": "report", "web-page": "webpage", "other": "document"}
    SCHEMA_TYPES = {"journal-article": "ScholarlyArticle", "book": "Book", "chapter": "Chapter", "report": "Report",
                    "guideline": "Report", "web-page": "WebPage", "other": "CreativeWork"}

    authors = models.JSONField(
        default=list, blank=True,
        help_text="One per line, family name first: \"Russo, S. J.\". An organisation as it is written: \"World Health "
                  "Organization\" (in braces if its name has a comma). Pasting a whole APA author list works too.",
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text='Leave empty when the source has no date: the citation says "n.d.".'
    )
    title = models.CharField(max_length=400)
    source_type = models.CharField(
        max_length=20, choices=SourceType.choices, default=SourceType.JOURNAL_ARTICLE,
        help_text="Shown beside the reference (unless an evidence type is set) and sets the citation's form.",
    )
    evidence = models.CharField(
        "evidence type", max_length=20, choices=Evidence.choices, blank=True,
        help_text="For papers: shown beside the reference instead of the source type.",
    )
    container = models.CharField(
        "journal, book or website", max_length=200, blank=True,
        help_text="The journal for papers, the book a chapter is in, the website a web page is on.",
    )
    editors = models.JSONField(default=list, blank=True, help_text="The book's editors, for a chapter; as authors.")
    publisher = models.CharField(
        max_length=200, blank=True,
        help_text="For books, chapters, reports and guidelines; leave empty when it is the author.",
    )
    volume = models.CharField(max_length=20, blank=True)
    issue = models.CharField(max_length=20, blank=True, help_text="The issue, or a report's number.")
    pages = models.CharField(max_length=40, blank=True, help_text='e.g. "609–625" or an article number.')
    doi = DOIField(
        "DOI",
        max_length=200,
        blank=True,
        help_text="Paste the DOI or its doi.org link; it is stored as 10.xxxx/… in lower case. One entry per DOI.",
    )
    url = HttpsURLField("URL", max_length=500, blank=True, help_text="For sources without a DOI.")
    # The APA text without the link, derived on save from the row's own fields (citeproc: 8–35 ms a reference).
    citation_html = models.TextField(editable=False, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        # The APA text starts with the first author and the year: the order of an APA reference list.
        ordering = [Lower("citation_html"), "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["doi"],
                condition=~Q(doi=""),
                name="unique_reference_doi",
                violation_error_message="A reference with this DOI is already in the library; cite that one.",
            ),
        ]

    def __str__(self):
        date = self.year or "n.d."
        if not self.authors:  # APA puts the title first when there is no author
            return f"{self.title} ({date})"
        return f"{name_text(self.authors[0]).split(',')[0]} ({date}). {self.title}"

    def save(self, *args, **kwargs):
        if isinstance(self.authors, str):  # an APA author list (the demo content, a quick script) is read as names
            self.authors = names_from_apa(self.authors)
        if isinstance(self.editors, str):
            self.editors = names_from_apa(self.editors)
        self.citation_html = citation.apa_html(self.to_csl(links=False))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "citation_html", "authors", "editors"}
        super().save(*args, **kwargs)

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def link(self):
        return self.doi_url or self.url

    @property
    def label(self):
        """The badge beside the reference on pages: its evidence type, else its source type."""
        return self.get_evidence_display() or self.get_source_type_display()

    @property
    def schema_type(self):
        return self.SCHEMA_TYPES.get(self.source_type, "CreativeWork")

    def to_csl(self, links=True):
        """This reference as a CSL-JSON item (what citeproc formats, and what an export writes)."""
        item = {"id": f"ref-{self.pk}" if self.pk else "ref", "type": self.CSL_TYPES.get(self.source_type, "document"),
                "title": self.title}
        if self.authors:
            item["author"] = list(self.authors)
        if self.editors:
            item["editor"] = list(self.editors)
        if self.year:
            item["issued"] = {"date-parts": [[self.year]]}
        fields = {"container-title": self.container, "publisher": self.publisher, "volume": self.volume,
                  "page": self.pages}
        fields["number" if self.source_type in ("report", "guideline") else "issue"] = self.issue
        if links:
            fields.update(DOI=self.doi, URL=self.url)
        item.update({key: value for key, value in fields.items() if value})
        return item

    def apa_html(self):
        """The citation in APA style, with the journal and volume in italics and the link at the end."""
        text = self.citation_html or citation.apa_html(self.to_csl(links=False))
        if self.link:
            return format_html('{} <a href="{}" rel="noopener">{}</a>', mark_safe(text), self.link, self.link)
        return mark_safe(text)
