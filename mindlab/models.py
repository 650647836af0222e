from django.core.exceptions import ValidationError
from django.db import models


class Page(models.Model):
    """What every public page (hub or article) carries: SEO fields, a hero image, key takeaways."""

    seo_title = models.CharField(
        "SEO title", max_length=70, blank=True,
        help_text="For search results and sharing; the title is used when empty.",
    )
    meta_description = models.CharField(
        max_length=160, blank=True, help_text="At most 160 characters, shown under the title in search results."
    )
    key_takeaways = models.TextField(
        blank=True, help_text="One takeaway per line, plain text. Shown in a box at the top of the page."
    )
    hero_image = models.ImageField(
        upload_to="heroes/%Y/", blank=True, width_field="hero_width", height_field="hero_height"
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField(
        "hero alt text", max_length=200, blank=True, help_text="What the image shows. Required with a hero image."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def takeaways(self):
        return [line.strip().lstrip("-•* ").strip() for line in self.key_takeaways.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.hero_image and not self.hero_alt.strip():
            raise ValidationError({"hero_alt": "Add alt text that describes the hero image."})


class HttpsURLField(models.URLField):
    """A URL field whose form adds https:// (not http://) to an address typed without a scheme."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
