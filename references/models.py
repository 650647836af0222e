import re

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from mindlab.models import ContentQuerySet, HttpsURLField

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
        SYSTEMATIC_REVIEW = "systematic-review", "Systematic review"
        META_ANALYSIS = "meta-analysis", "Meta-analysis"
        PRIMARY_RESEARCH = "primary-research", "Primary research"
        REVIEW_ARTICLE = "review-article", "Review article"
        CLINICAL_GUIDELINE = "clinical-guideline", "Clinical guideline"
        GOVERNMENT_SOURCE = "government-source", "Government source"
        BOOK = "book", "Book"
        OTHER = "other", "Other"

    authors = models.CharField(
        max_length=600, help_text='APA order and punctuation: "Russo, S. J., & Nestler, E. J."'
    )
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=400)
    container = models.CharField(
        "journal or publisher", max_length=200, blank=True, help_text="The journal for papers, the publisher for books."
    )
    volume = models.CharField(max_length=20, blank=True)
    issue = models.CharField(max_length=20, blank=True)
    pages = models.CharField(max_length=40, blank=True, help_text='e.g. "609–625" or an article number.')
    doi = DOIField(
        "DOI",
        max_length=200,
        blank=True,
        help_text="Paste the DOI or its doi.org link; it is stored as 10.xxxx/… in lower case. One entry per DOI.",
    )
    url = HttpsURLField("URL", max_length=500, blank=True, help_text="For sources without a DOI.")
    source_type = models.CharField(max_length=20, choices=SourceType.choices, default=SourceType.PRIMARY_RESEARCH)
    created = models.DateTimeField(auto_now_add=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["authors", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["doi"],
                condition=~Q(doi=""),
                name="unique_reference_doi",
                violation_error_message="A reference with this DOI is already in the library; cite that one.",
            ),
        ]

    def __str__(self):
        first_author = self.authors.split(",")[0]
        return f"{first_author} ({self.year}). {self.title}"

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def link(self):
        return self.doi_url or self.url

    def apa_html(self):
        """The citation in APA style, with the journal and volume in italics and the link at the end."""
        title = self.title if self.title[-1:] in ".?!" else f"{self.title}."
        parts = [format_html("{} ({}). {}", self.authors, self.year, title)]
        if self.container:
            source = format_html("<i>{}</i>", self.container)
            if self.volume:
                source = format_html("{}, <i>{}</i>", source, self.volume)
            if self.issue:
                source = format_html("{}({})", source, self.issue)
            if self.pages:
                source = format_html("{}, {}", source, self.pages)
            parts.append(format_html("{}.", source))
        if self.link:
            parts.append(format_html('<a href="{}" rel="noopener">{}</a>', self.link, self.link))
        return mark_safe(" ".join(parts))
