"""export_content: the library as the Markdown files import_content reads, the same files every time.

The round trip is the contract: export, import into an empty library, export again, and every file (Markdown,
images, audio) is byte for byte the same.
"""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image as PillowImage

from articles.models import Article, Tag
from authors.models import Author
from hubs.models import Hub
from media_library.models import Image
from pages.models import Page as StandalonePage
from references.models import Reference
from transfer.export import as_zip, export_library
from transfer.importer import Importer
from transfer.sources import collect

DEMO = Path(__file__).resolve().parent.parent / "demo"


def picture(colour):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (320, 200), colour).save(buffer, "PNG")
    return buffer.getvalue()


EXTRAS = {
    "extra/authors/ana-ruiz.md": """---
type: author
name: Ana Ruiz
slug: ana-ruiz
role: Clinical psychologist
short_bio: Writes about sleep.
headshot: ../images/ana.png
headshot_alt: Ana Ruiz at her desk.
credentials:
  - degree: PsyD
    institution: Rutgers University
  - MA
profile_links:
  - label: Practice website
    url: https://example.org/ana
---
Ana Ruiz works with people whose sleep has come apart.
""",
    "extra/hubs/sleep.md": """---
type: hub
title: Sleep
slug: sleep
status: published
tagline: How the sleeping brain repairs itself.
author: ana-ruiz
reviewer: ana-ruiz
last_reviewed: 2026-03-02
updated: 2026-03-04 10:30
faqs:
  - question: How much sleep is enough?
    answer: |-
      It depends.

      Most adults need seven hours or more.
---
## What sleep does

![A brain at night](../figures/night.png "Activity during deep sleep")
""",
    "extra/articles/sleep-and-memory.md": """---
type: article
title: "Sleep and memory: what the night keeps"
slug: sleep-and-memory
status: review
hub: sleep
hubs: [chronic-stress-resilience]
author: ana-ruiz
hero_image: ../figures/hero.png
hero_alt: A bedside lamp.
updated: 2026-04-01 08:15
reading_time: 9
disclaimer: Not medical advice for you in particular.
disclaimer_position: foot
review_interval_months: 6
expire_at: 2031-01-01 00:00
tags: [sleep, memory]
excerpt: What the brain does with the day while you sleep.
references:
  - csl:
      type: report
      genre: guideline
      title: Insomnia in adults
      author: [{literal: National Institute for Health and Care Excellence}]
      issued: {date-parts: [[2022]]}
      URL: https://www.nice.org.uk/
  - doi: 10.1126/science.1241224
    authors: Xie, L., Kang, H., & Nedergaard, M.
    year: 2013
    title: Sleep drives metabolite clearance from the adult brain
    journal: Science
related: [what-causes-depression]
---
Opening paragraph.

## Does sleep sort memories?

![A brain at night](../figures/night.png "Activity during deep sleep")

Yes, in part.
""",
    "extra/pages/cookies.md": """---
type: page
title: Cookies
slug: cookies
status: draft
updated: 2026-02-01 12:00
---
We use one cookie.
""",
}


def write_extras(root):
    for path, text in EXTRAS.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    (root / "extra/images").mkdir()
    (root / "extra/figures").mkdir()
    (root / "extra/images/ana.png").write_bytes(picture("teal"))
    (root / "extra/figures/night.png").write_bytes(picture("navy"))
    (root / "extra/figures/hero.png").write_bytes(picture("orange"))
    return root / "extra"


def import_paths(*paths):
    sources, unreadable = collect(paths)
    assert unreadable == []
    report = Importer().run(sources)
    assert report.failed == [], [outcome.lines() for outcome in report.failed]
    return report


def empty_the_library():
    Hub.objects.update(featured_article=None)
    Article.objects.exclude(draft_of=None).delete()
    Article.objects.all().delete()
    Hub.objects.exclude(draft_of=None).delete()
    Hub.objects.all().delete()
    StandalonePage.objects.exclude(draft_of=None).delete()
    StandalonePage.objects.all().delete()
    Author.objects.all().delete()
    Reference.objects.all().delete()
    Image.objects.all().delete()
    Tag.objects.all().delete()


def write(files, folder):
    for path, content in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(content)
    return folder


@pytest.fixture
def library(db, settings, tmp_path):
    """The demo library and the extra files above: every kind of item, field and attachment the format holds."""
    settings.MEDIA_ROOT = tmp_path / "media"
    import_paths(DEMO, write_extras(tmp_path))
    return tmp_path


def test_export_import_export_gives_identical_files(library, settings):
    first = export_library()
    assert {path.split("/")[0] for path in first} == {"authors", "hubs", "articles", "pages", "images", "audio"}
    assert len([path for path in first if path.startswith("articles/")]) == 15

    empty_the_library()
    settings.MEDIA_ROOT = library / "media-2"
    report = import_paths(write(first, library / "export"))
    assert report.counts["create"] == len([path for path in first if path.endswith(".md")])

    second = export_library()
    assert list(second) == list(first)
    changed = [path for path in first if first[path] != second[path]]
    assert changed == []


def test_the_export_holds_every_field_the_files_gave(library):
    files = export_library()
    article = files["articles/sleep-and-memory.md"].decode()
    for line in ("status: review", "hubs: [chronic-stress-resilience]", "hero_image: ../images/heroes/article-sleep-"
                 "and-memory.png", "updated: 2026-04-01 08:15", "reading_time: 9", "disclaimer_position: foot",
                 "review_interval_months: 6", "expire_at: 2031-01-01 00:00", "tags: [memory, sleep]",
                 "genre: guideline", "related: [what-causes-depression]",
                 '![A brain at night](../images/library/night.png "Activity during deep sleep")'):
        assert line in article, line
    hub = files["hubs/sleep.md"].decode()
    assert "reviewer: ana-ruiz\nlast_reviewed: 2026-03-02" in hub
    assert "answer: |-\n      It depends.\n\n      Most adults need seven hours or more." in hub
    # One library image, used twice, is one file.
    assert [path for path in files if path.startswith("images/library/")] == ["images/library/night.png"]
    assert files["images/library/night.png"] == picture("navy")
    author = files["authors/ana-ruiz.md"].decode()
    assert "credentials:\n- degree: PsyD\n  institution: Rutgers University\n- degree: MA\n" in author
    # Nothing names a row of this database: another library gives the same entries other ids.
    text = b"".join(content for path, content in files.items() if path.endswith(".md")).decode()
    assert "(image:" not in text and "ref-" not in text


def test_importing_the_export_into_the_same_library_changes_nothing(library, tmp_path):
    export = write(export_library(), tmp_path / "export")
    report = Importer(dry_run=True).run(collect([export])[0])
    assert {outcome.verdict for outcome in report.outcomes} == {"unchanged"}


def test_the_export_is_the_live_text_not_its_pending_revision(library):
    live = Article.objects.get(slug="what-causes-depression", draft_of=None)
    revision = live.start_revision()
    revision.title = "A title nobody has reviewed"
    revision.save()
    text = export_library()["articles/what-causes-depression.md"].decode()
    assert f"title: {live.title}" in text and "nobody has reviewed" not in text
    assert "articles/what-causes-depression-" not in "".join(export_library())


def test_a_review_of_other_text_is_not_exported_so_the_import_cannot_vouch_for_this_one(make_article, tmp_path,
                                                                                         settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    article = make_article(slug="stale-review")
    assert "reviewer:" in export_library()["articles/stale-review.md"].decode()
    Article.objects.filter(pk=article.pk).update(body="Text changed after the review, outside the workflow.")
    text = export_library()["articles/stale-review.md"].decode()
    assert "reviewer:" not in text and "last_reviewed:" not in text

    exported = export_library()
    empty_the_library()
    report = import_paths(write(exported, tmp_path / "export"))
    [outcome] = [outcome for outcome in report.outcomes if outcome.name == "articles/stale-review.md"]
    assert outcome.as_draft and "record the medical review" in " ".join(outcome.notes)
    assert not Article.objects.get(slug="stale-review").has_published_status


def test_scheduled_and_draft_articles_keep_their_status_and_dates(library):
    files = export_library()
    scheduled = Article.objects.get(slug="inflammation-stress-and-low-mood")
    assert scheduled.publish_at > timezone.now()
    text = files["articles/inflammation-stress-and-low-mood.md"].decode()
    local = timezone.localtime(scheduled.publish_at)
    assert "status: published" in text and f"publish_at: {local:%Y-%m-%d %H:%M}" in text
    drafts = [path for path, content in files.items() if path.startswith("articles/") and b"status: draft" in content]
    assert drafts and all(not Article.objects.get(slug=Path(path).stem).has_published_status for path in drafts)


def test_a_moment_with_seconds_keeps_them(make_article, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    at = timezone.now().replace(microsecond=250_000) - timedelta(days=2)
    make_article(slug="precise", publish_at=at)
    text = export_library()["articles/precise.md"].decode()
    assert f"publish_at: '{timezone.localtime(at).isoformat(sep=' ')}'" in text


def test_the_command_writes_a_folder_and_refuses_one_that_is_not_empty(library, tmp_path):
    target = tmp_path / "out"
    output = io.StringIO()
    call_command("export_content", str(target), stdout=output)
    assert "15 articles" in output.getvalue() and "4 hubs" in output.getvalue()
    assert (target / "articles/sleep-and-memory.md").read_bytes() == export_library()["articles/sleep-and-memory.md"]
    with pytest.raises(CommandError, match="is not empty"):
        call_command("export_content", str(target), stdout=io.StringIO())

    (target / "NOTES.txt").write_text("mine")
    (target / "articles/removed-since.md").write_text("an article deleted since the last export")
    call_command("export_content", str(target), "--force", stdout=io.StringIO())
    assert (target / "NOTES.txt").read_text() == "mine"  # --force replaces only the export's own folders
    assert not (target / "articles/removed-since.md").exists()


def test_the_zip_is_the_same_bytes_every_time_and_imports(library, tmp_path):
    call_command("export_content", str(tmp_path / "library.zip"), stdout=io.StringIO())
    first = (tmp_path / "library.zip").read_bytes()
    assert first == as_zip(export_library())
    with pytest.raises(CommandError, match="exists"):
        call_command("export_content", str(tmp_path / "library.zip"), stdout=io.StringIO())
    call_command("export_content", str(tmp_path / "library"), "--zip", "--force", stdout=io.StringIO())
    assert (tmp_path / "library.zip").read_bytes() == first
    assert sorted(zipfile.ZipFile(io.BytesIO(first)).namelist()) == sorted(export_library())
    report = Importer(dry_run=True).run(collect([tmp_path / "library.zip"])[0])
    assert {outcome.verdict for outcome in report.outcomes} == {"unchanged"}
