from django.db import migrations

from references.citation import apa_html, names_from_apa, names_to_apa

EVIDENCE = {"systematic-review", "meta-analysis", "primary-research", "review-article"}
FORM = {"clinical-guideline": "guideline", "government-source": "report", "book": "book"}
# The way back: the evidence type if there is one, else the old value of the form.
OLD_FORM = {"guideline": "clinical-guideline", "report": "government-source", "book": "book", "chapter": "book"}
CSL_TYPES = {"journal-article": "article-journal", "book": "book", "chapter": "chapter", "report": "report",
             "guideline": "report", "web-page": "webpage", "other": "document"}


def csl(row):
    """The row as CSL-JSON, as Reference.to_csl(links=False) makes it in this migration's version of the model."""
    item = {"type": CSL_TYPES[row.source_type], "title": row.title, "author": row.authors}
    if row.year:
        item["issued"] = {"date-parts": [[row.year]]}
    for key, value in (("container-title", row.container), ("publisher", row.publisher), ("volume", row.volume),
                       ("page", row.pages), ("number" if row.source_type in ("report", "guideline") else "issue",
                                             row.issue)):
        if value:
            item[key] = value
    return item


def forwards(apps, schema_editor):
    Reference = apps.get_model("references", "Reference")
    for row in Reference.objects.all():
        row.authors = names_from_apa(row.authors_apa)
        old = row.source_type
        if old in EVIDENCE:
            row.source_type, row.evidence = "journal-article", old
        elif old in FORM:
            row.source_type = FORM[old]
        else:  # "other": a page on the web when it has only a URL, else a paper
            row.source_type = "web-page" if row.url and not row.doi and not row.volume else "journal-article"
        if row.source_type in ("book", "report", "guideline"):  # "journal or publisher" was the publisher
            row.publisher, row.container = row.container, ""
        row.citation_html = apa_html(csl(row))
        row.save()


def backwards(apps, schema_editor):
    Reference = apps.get_model("references", "Reference")
    for row in Reference.objects.all():
        row.authors_apa = names_to_apa(row.authors)[:600]
        row.container = row.container or row.publisher
        row.source_type = row.evidence or OLD_FORM.get(row.source_type, "other")
        row.year = row.year or 0
        row.save()


class Migration(migrations.Migration):
    dependencies = [("references", "0002_structured_references")]

    operations = [migrations.RunPython(forwards, backwards)]
