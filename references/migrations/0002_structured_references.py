import django.db.models
from django.db import migrations, models


class Migration(migrations.Migration):
    """Names become structured (the APA strings are read in 0003), the year optional, the source type a form
    (journal article, book, …) with the evidence type beside it, and the APA text is stored on the row."""

    dependencies = [("references", "0001_initial")]

    operations = [
        migrations.RenameField("reference", "authors", "authors_apa"),
        migrations.AlterField("reference", "authors_apa", models.CharField(max_length=600, blank=True)),
        migrations.AddField(
            "reference", "authors",
            models.JSONField(
                default=list, blank=True,
                help_text="One per line, family name first: \"Russo, S. J.\". An organisation as it is written: "
                          "\"World Health Organization\" (in braces if its name has a comma). Pasting a whole APA "
                          "author list works too.",
            ),
        ),
        migrations.AlterField(
            "reference", "year",
            models.PositiveSmallIntegerField(
                null=True, blank=True, help_text='Leave empty when the source has no date: the citation says "n.d.".'
            ),
        ),
        migrations.AddField(
            "reference", "evidence",
            models.CharField(
                "evidence type", max_length=20, blank=True,
                choices=[("systematic-review", "Systematic review"), ("meta-analysis", "Meta-analysis"),
                         ("primary-research", "Primary research"), ("review-article", "Review article")],
                help_text="For papers: shown beside the reference instead of the source type.",
            ),
        ),
        migrations.AddField(
            "reference", "editors",
            models.JSONField(default=list, blank=True, help_text="The book's editors, for a chapter; as authors."),
        ),
        migrations.AddField(
            "reference", "publisher",
            models.CharField(
                max_length=200, blank=True,
                help_text="For books, chapters, reports and guidelines; leave empty when it is the author.",
            ),
        ),
        migrations.AddField("reference", "citation_html", models.TextField(editable=False, blank=True)),
        # Wide enough for the old and the new values while 0003 maps one to the other.
        migrations.AlterField("reference", "source_type", models.CharField(max_length=20, default="journal-article")),
    ]
