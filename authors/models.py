from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.urls import reverse

from mindlab import jsonld
from mindlab.markdown import render
from mindlab.models import ContentQuerySet, HttpsURLField
from mindlab.uploads import GeneratedName, WebImageField


class Author(models.Model):
    """A writer or reviewer: a person, or an organisation such as a clinical review team."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(
        max_length=120, blank=True, help_text='Shown under the name, e.g. "Neuro-Advisor & Author".'
    )
    short_bio = models.TextField(
        max_length=400, blank=True, help_text="Two or three plain sentences for the author card under articles."
    )
    bio = models.TextField(blank=True, help_text="Full biography in Markdown, for the author page.")
    bio_html = models.TextField(blank=True, editable=False)
    headshot = WebImageField(
        upload_to=GeneratedName("authors"), blank=True, width_field="headshot_width", height_field="headshot_height",
        help_text="JPEG, PNG or WebP, at most 5 MB and 40 megapixels; square, 320 px or more.",
    )
    headshot_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    headshot_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    headshot_alt = models.CharField(
        max_length=200, blank=True,
        help_text="Describe the photo for readers who cannot see it. Required with a headshot.",
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.bio_html = render(self.bio).html
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("authors:detail", args=[self.slug])

    def structured_data(self):
        prefetch_related_objects([self], "credentials", "profile_links")
        return jsonld.graph(
            jsonld.author_page(self), jsonld.breadcrumbs(("Home", "/"), (self.name, self.get_absolute_url()))
        )

    @property
    def initials(self):
        """For the placeholder where there is no headshot; titles such as "Dr." are skipped."""
        words = [word for word in self.name.split() if not word.endswith(".")] or [self.name]
        return (words[0][:1] + (words[-1][:1] if len(words) > 1 else "")).upper()

    def clean(self):
        if self.headshot and not self.headshot_alt.strip():
            raise ValidationError({"headshot_alt": "Add alt text for the headshot."})


class Credential(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="credentials")
    degree = models.CharField(max_length=160, help_text='e.g. "PhD, Behavioral & Cognitive Neuroscience".')
    institution = models.CharField(max_length=160, blank=True, help_text='e.g. "New York University".')
    order = models.PositiveSmallIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.degree}, {self.institution}" if self.institution else self.degree


class FeaturedIn(models.Model):
    """An outlet the author has written for or been quoted in."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="featured_in")
    outlet = models.CharField(max_length=120)
    url = HttpsURLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "featured-in outlet"

    def __str__(self):
        return self.outlet


class ProfileLink(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="profile_links")
    label = models.CharField(max_length=60, help_text='e.g. "LinkedIn" or "Practice website".')
    url = HttpsURLField()
    order = models.PositiveSmallIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.label
