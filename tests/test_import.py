"""`manage.py import_content`: Markdown files with front matter in, through the publishing rules (issue 15 §2)."""

import io
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image

from articles.models import Article
from authors.models import Author
from faqs.models import FAQ
from hubs.models import Hub
from mindlab.models import SiteSettings
from references.models import Reference

REVIEW_DAY = date(2026, 1, 15)
DOI = "10.1038/nrn3381"
JOURNAL_REFERENCE = {"doi": DOI, "authors": "Russo, S. J., & Nestler, E. J.", "year": 2013,
                     "title": "The brain reward circuitry in mood disorders", "journal": "Nature Reviews Neuroscience"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def write(folder, name, fields, body=""):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{yaml.safe_dump(fields, sort_keys=False)}---\n\n{body}\n")
    return path


def jpeg(size=(1600, 800)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 110)).save(buffer, "JPEG")
    return buffer.getvalue()


def article_fields(**overrides):
    fields = {
        "type": "article", "title": "How sleep resets the brain", "slug": "sleep-resets", "hub": "sleep",
        "author": "sydney", "reviewer": "review-team", "last_reviewed": REVIEW_DAY.isoformat(),
        "status": "published", "references": [JOURNAL_REFERENCE],
    }
    return {key: value for key, value in {**fields, **overrides}.items() if value is not None}


@pytest.fixture
def library(tmp_path):
    """A folder with an author, a review team, a hub and one article, files in an order the import must not follow."""
    folder = tmp_path / "library"
    write(folder, "a-articles/sleep-resets.md", article_fields(),
          "Sleep clears the day.\n\n## Why does it matter?\n\nIt does.")
    write(folder, "b-hubs/sleep.md", {"type": "hub", "title": "Sleep", "slug": "sleep", "status": "published",
                                      "author": "sydney"}, "## What sleep does\n\nA pillar essay.")
    write(folder, "c-authors/sydney.md", {"type": "author", "name": "Sydney Ceruto", "slug": "sydney",
                                          "credentials": [{"degree": "PhD", "institution": "NYU"}]}, "A bio.")
    write(folder, "c-authors/review-team.md", {"type": "author", "name": "Clinical Review Team",
                                               "slug": "review-team", "kind": "organisation"})
    return folder


def run(*paths, dry_run=False):
    """(output, failed): the command's output, and whether it exited non-zero."""
    out = io.StringIO()
    try:
        call_command("import_content", *map(str, paths), *(["--dry-run"] if dry_run else []), stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), True
    return out.getvalue(), False


def counts():
    return {model.__name__: model.objects.count() for model in (Article, Hub, Author, Reference, FAQ)}


# The publishing rules on the import path

@pytest.mark.django_db
def test_a_reviewed_and_referenced_article_is_published_with_its_review_line(library, client):
    output, failed = run(library)
    assert not failed and "4 created" in output
    article = Article.objects.get(slug="sleep-resets")
    assert article.is_published and article.review_is_current
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Medically reviewed by" in page and "Clinical Review Team" in page and "January 15, 2026" in page
    assert "Russo" in page and "Nature Reviews Neuroscience" in page
    assert Hub.objects.get(slug="sleep").is_published


@pytest.mark.django_db
def test_an_article_without_a_review_is_imported_as_a_draft_and_the_report_says_why(library, client):
    write(library, "a-articles/sleep-resets.md", article_fields(reviewer=None, last_reviewed=None), "Unreviewed.")
    output, failed = run(library)
    article = Article.objects.get(slug="sleep-resets")
    assert article.status == "draft" and not failed
    assert ("a-articles/sleep-resets.md: imported as a draft: record the medical review (reviewer and date) "
            "before publishing.") in output
    assert "1 imported as a draft" in output
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_an_article_without_a_reference_is_imported_as_a_draft(library):
    write(library, "a-articles/sleep-resets.md", article_fields(references=None), "No sources.")
    output, _ = run(library)
    assert Article.objects.get(slug="sleep-resets").status == "draft"
    assert "imported as a draft: cite at least one reference before publishing." in output


@pytest.mark.django_db
def test_with_the_site_settings_switches_off_an_unreviewed_article_without_references_is_published(library, client):
    SiteSettings.objects.update_or_create(pk=1, defaults={"require_medical_review": False, "require_reference": False})
    write(library, "a-articles/sleep-resets.md", article_fields(reviewer=None, last_reviewed=None, references=None),
          "Published by the site's own rules.")
    output, failed = run(library)
    article = Article.objects.get(slug="sleep-resets")
    assert article.is_published and not failed and "0 imported as a draft" in output
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Published by the site" in page and "Medically reviewed" not in page


@pytest.mark.django_db
def test_a_publish_date_in_the_future_schedules_the_article(library, client):
    moment = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    write(library, "a-articles/sleep-resets.md", article_fields(publish_at=moment.isoformat()), "Coming soon.")
    run(library)
    article = Article.objects.get(slug="sleep-resets")
    assert article.state == "scheduled" and article.publish_at == moment
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_past_publish_date_is_kept_as_the_articles_publication_date(library):
    write(library, "a-articles/sleep-resets.md", article_fields(publish_at="2024-05-01 09:30"), "Old news.")
    run(library)
    article = Article.objects.get(slug="sleep-resets")
    assert article.is_published and timezone.localtime(article.publish_at).date() == date(2024, 5, 1)


# Reviews vouch only for the text they were recorded for

@pytest.mark.django_db
def test_changed_text_under_the_same_review_waits_in_a_revision_while_the_live_page_keeps_reviewed_text(
        library, client):
    run(library)
    write(library, "a-articles/sleep-resets.md", article_fields(), "Stop taking your medication.")
    output, failed = run(library)
    assert not failed
    assert ("a-articles/sleep-resets.md: the live page keeps its reviewed text; the changes wait in its pending "
            "revision: the text has changed since the review of January 15, 2026") in output
    live = Article.objects.live_pages().get(slug="sleep-resets")
    assert live.is_published and live.review_is_current and live.pending_revision.body == "Stop taking your medication."
    page = client.get(live.get_absolute_url()).content.decode()
    assert "Sleep clears the day." in page and "Stop taking" not in page and "Medically reviewed by" in page
    again, _ = run(library)  # the same file again: nothing new, and no second revision
    assert "sleep-resets.md: unchanged" in again and Article.objects.revisions().count() == 1


@pytest.mark.django_db
def test_a_new_review_in_the_file_publishes_the_changed_text_under_the_new_review_line(library, client):
    run(library)
    write(library, "a-articles/sleep-resets.md", article_fields(last_reviewed="2026-02-20"), "Reviewed again.")
    output, _ = run(library)
    assert "sleep-resets.md: update" in output and "pending revision" not in output
    live = Article.objects.live_pages().get(slug="sleep-resets")
    assert live.body == "Reviewed again." and live.review_is_current and live.pending_revision is None
    page = client.get(live.get_absolute_url()).content.decode()
    assert "Reviewed again." in page and "February 20, 2026" in page


@pytest.mark.django_db
def test_a_draft_whose_text_changed_under_an_old_review_stays_a_draft(library):
    write(library, "a-articles/sleep-resets.md", article_fields(status="draft"), "First text.")
    run(library)
    write(library, "a-articles/sleep-resets.md", article_fields(), "Second text.")
    output, _ = run(library)
    article = Article.objects.get(slug="sleep-resets")
    assert article.status == "draft" and not article.review_is_current
    assert "imported as a draft: the text has changed since the review of January 15, 2026" in output


# Idempotency, dry run, failures

@pytest.mark.django_db
def test_importing_twice_changes_nothing_and_duplicates_nothing(library):
    first_output, _ = run(library)
    first = counts()
    article = Article.objects.get(slug="sleep-resets")
    versions = article.history.count()
    output, failed = run(library)
    assert counts() == first and not failed
    assert "0 created, 0 updated, 4 unchanged, 0 failed" in output
    assert "a-articles/sleep-resets.md: unchanged" in output
    assert Article.objects.get(slug="sleep-resets").history.count() == versions


@pytest.mark.django_db
def test_a_draft_for_want_of_a_review_is_unchanged_on_the_next_import_with_the_same_reason(library):
    write(library, "a-articles/sleep-resets.md", article_fields(reviewer=None, last_reviewed=None), "Unreviewed.")
    run(library)
    output, _ = run(library)
    assert "sleep-resets.md: unchanged" in output and "0 imported as a draft" in output
    assert "sleep-resets.md: still a draft: record the medical review (reviewer and date) before publishing." in output


@pytest.mark.django_db
def test_a_dry_run_says_what_would_happen_and_saves_nothing(library, media):
    write(library, "a-articles/sleep-resets.md", article_fields(hero_image="hero.jpg", hero_alt="A bed."), "Text.")
    (library / "a-articles/hero.jpg").write_bytes(jpeg())
    before = counts()
    output, failed = run(library, dry_run=True)
    assert counts() == before and not failed
    assert "a-articles/sleep-resets.md: create" in output and "Dry run, nothing saved: 4 would be created" in output
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


@pytest.mark.django_db
def test_a_bad_file_is_named_with_its_field_and_saves_nothing_while_the_others_import(library):
    write(library, "a-articles/broken.md", article_fields(slug="broken", hub="sleeep", tags=["sleep"],
                                                          faqs=[{"question": "Q?", "answer": "A."}]), "Broken.")
    output, failed = run(library)
    assert failed
    assert 'a-articles/broken.md: hub "sleeep": no hub with this slug' in output
    assert "1 of 5 files failed" in output
    assert not Article.objects.filter(slug="broken").exists() and not FAQ.objects.filter(question="Q?").exists()
    assert Article.objects.get(slug="sleep-resets").is_published


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "line"), [
    ({"type": "post"}, "type: 'post' is not one of: author, hub, article"),
    (article_fields(slug="x", hubb="sleep"), "hubb: not a field of an article"),
    (article_fields(slug="x", last_reviewed="15/01/2026"), "last_reviewed: '15/01/2026' is not a date"),
    (article_fields(slug="x", last_reviewed=None), "last_reviewed: a medical review needs both the reviewer"),
    (article_fields(slug="x", reviewer="nobody"), 'reviewer "nobody": no author with this slug'),
    (article_fields(slug="x", related=["missing"]), 'related "missing": no article with this slug'),
    (article_fields(slug="x", references=[{"doi": "10.1000/unknown"}]),
     "references #1: no reference with DOI 10.1000/unknown in the library"),
    (article_fields(slug="x", hero_image="nowhere.jpg", hero_alt="A picture."),
     'hero_image "nowhere.jpg": no such file'),
    (article_fields(slug="x", hero_image="../../etc/passwd"), 'hero_image "../../etc/passwd": the path leads outside'),
    (article_fields(slug="x", title="T" * 201), "title: Ensure this value has at most 200 characters"),
    (article_fields(slug="x", tags=["t" * 101]), "tags 'tttttttttttttttttttt'…: at most 100 characters each"),
    (article_fields(slug="x", references=[{"doi": "10.1000/new", "title": "New", "year": "soon"}]),
     "references #1: year: give the year of publication"),
    (article_fields(slug="x", reading_time=0), "reading_time: Ensure this value is greater than or equal to 1"),
    (article_fields(slug="x", updated="2999-01-01 09:00"), "updated: “Last updated” cannot be in the future"),
    (article_fields(slug="x", disclaimer_position="side"), "disclaimer_position: 'side' is not one of: , top, foot"),
])
def test_each_problem_is_one_line_naming_the_file_and_the_field(library, fields, line):
    write(library, "bad.md", fields, "Body.")
    output, failed = run(library)
    assert failed and f"bad.md: {line}" in output
    assert not Article.objects.filter(slug="x").exists()


@pytest.mark.django_db
def test_authors_and_hubs_are_imported_before_articles_and_related_articles_after_all_of_them(library):
    write(library, "a-articles/0-first.md", article_fields(slug="first", related=["sleep-resets", "zzz-last"]), "1.")
    write(library, "a-articles/zzz-last.md", article_fields(slug="zzz-last"), "Last.")
    output, failed = run(library)
    assert not failed, output
    first = Article.objects.get(slug="first")
    assert sorted(first.related_articles.values_list("slug", flat=True)) == ["sleep-resets", "zzz-last"]


# References

@pytest.mark.django_db
def test_a_doi_reference_is_matched_in_the_library_not_duplicated(library, make_reference):
    stored = make_reference(doi="https://doi.org/10.1038/NRN3381", title="Already in the library")
    run(library)
    article = Article.objects.get(slug="sleep-resets")
    assert list(article.references.all()) == [stored] and Reference.objects.count() == 1


@pytest.mark.django_db
def test_a_csl_item_creates_a_reference_shown_on_the_page(library, client):
    csl = {"type": "article-journal", "title": "Sleep drives metabolite clearance from the adult brain",
           "author": [{"family": "Xie", "given": "Lulu"}, {"family": "Nedergaard", "given": "Maiken"}],
           "issued": {"date-parts": [[2013]]}, "container-title": "Science", "DOI": "10.1126/science.1241224"}
    write(library, "a-articles/sleep-resets.md", article_fields(references=[{"csl": csl}]), "Text.")
    run(library)
    reference = Reference.objects.get(doi="10.1126/science.1241224")
    assert (reference.title, reference.year, reference.container) == (csl["title"], 2013, "Science")
    page = client.get("/articles/sleep-resets/").content.decode()
    assert "Xie" in page and "Sleep drives metabolite clearance" in page
    run(library)
    assert Reference.objects.filter(doi="10.1126/science.1241224").count() == 1


@pytest.mark.django_db
def test_an_evidence_type_beside_a_reference_labels_it_and_never_overwrites_an_editors_choice(library, client,
                                                                                             make_reference):
    csl = {"type": "article-journal", "title": "Sleep drives metabolite clearance from the adult brain",
           "issued": {"date-parts": [[2013]]}, "DOI": "10.1126/science.1241224"}
    edited = make_reference(doi=DOI, title="The brain reward circuitry in mood disorders", evidence="review-article")
    write(library, "a-articles/sleep-resets.md", article_fields(references=[
        {"csl": csl, "evidence": "primary-research"}, {"doi": DOI, "evidence": "meta-analysis"}]), "Text.")
    output, failed = run(library)
    assert not failed, output
    assert Reference.objects.get(doi="10.1126/science.1241224").evidence == "primary-research"
    edited.refresh_from_db()
    assert edited.evidence == "review-article"
    assert "Primary research" in client.get("/articles/sleep-resets/").content.decode()

    write(library, "a-articles/sleep-resets.md", article_fields(references=[{"csl": csl, "evidence": "anecdote"}]),
          "Other text.")
    output, failed = run(library)
    assert failed and "a-articles/sleep-resets.md: references #1 evidence: 'anecdote' is not one of:" in output
    assert Article.objects.get(slug="sleep-resets").body == "Text."


@pytest.mark.django_db
def test_references_can_come_from_a_csl_json_file_beside_the_article(library):
    (library / "a-articles/sleep.json").write_text(
        '[{"title": "A sleep study", "author": [{"family": "Walker", "given": "M."}], '
        '"issued": {"date-parts": [[2017]]}, "DOI": "10.1000/sleep"}]')
    write(library, "a-articles/sleep-resets.md", article_fields(references_file="sleep.json"), "Text.")
    run(library)
    assert [ref.doi for ref in Article.objects.get(slug="sleep-resets").references.all()] == [DOI, "10.1000/sleep"]


# Archives

def make_zip(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.django_db
def test_a_zip_archive_is_imported_with_its_images(library, tmp_path):
    write(library, "a-articles/sleep-resets.md", article_fields(hero_image="img/hero.jpg", hero_alt="A bed."), "Z.")
    members = {str(path.relative_to(library)): path.read_bytes() for path in library.rglob("*.md")}
    archive = make_zip(tmp_path / "library.zip", {**members, "a-articles/img/hero.jpg": jpeg()})
    output, failed = run(archive)
    assert not failed, output
    article = Article.objects.get(slug="sleep-resets")
    assert article.is_published and article.hero_renditions["sizes"]
    assert "library.zip:a-articles/sleep-resets.md: create" in output


@pytest.mark.django_db
def test_a_zip_with_a_path_outside_the_archive_is_refused_whole(library, tmp_path):
    members = {str(path.relative_to(library)): path.read_bytes() for path in library.rglob("*.md")}
    archive = make_zip(tmp_path / "evil.zip", {**members, "../outside.md": b"---\ntype: author\n---\n"})
    output, failed = run(archive)
    assert failed and '"../outside.md": a path outside the archive; nothing of this archive was imported' in output
    assert counts()["Author"] == 0


# Images and audio, uploaded as the admin uploads them

@pytest.mark.django_db
def test_a_hero_image_by_relative_path_is_uploaded_with_its_renditions(library, media, client):
    (library / "images").mkdir()
    (library / "images/bed.jpg").write_bytes(jpeg())
    write(library, "b-hubs/sleep.md", {"type": "hub", "title": "Sleep", "slug": "sleep", "status": "published",
                                       "hero_image": "../images/bed.jpg", "hero_alt": "An unmade bed."}, "Essay.")
    run(library)
    hub = Hub.objects.get(slug="sleep")
    assert (hub.hero_width, hub.hero_height) == (1600, 800) and hub.hero_image.name.startswith("heroes/")
    assert [size["width"] for size in hub.hero_renditions["sizes"]] == [480, 960, 1440]
    assert (media / hub.hero_renditions["sizes"][0]["name"]).exists()
    assert "An unmade bed." in client.get(hub.get_absolute_url()).content.decode()
    output, _ = run(library)  # the same image again is not stored again
    assert "b-hubs/sleep.md: unchanged" in output
    assert Hub.objects.get(slug="sleep").hero_image.name == hub.hero_image.name


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused_with_the_file_and_field(library, media):
    (library / "a-articles/fake.jpg").write_bytes(b"not a picture")
    write(library, "a-articles/sleep-resets.md", article_fields(hero_image="fake.jpg", hero_alt="Fake."), "Text.")
    output, failed = run(library)
    assert failed
    assert ('a-articles/sleep-resets.md: hero_image "fake.jpg": This file is not a JPEG, PNG or WebP image, '
            "or it is damaged.") in output
    assert not Article.objects.filter(slug="sleep-resets").exists()
    assert not any(path.is_file() for path in media.rglob("*")) if media.exists() else True


@pytest.mark.django_db
def test_audio_by_relative_path_is_uploaded_with_its_duration(library):
    (library / "a-articles/talk.mp3").write_bytes(b"ID3" + b"\x00" * 64)
    write(library, "a-articles/sleep-resets.md", article_fields(audio="talk.mp3", audio_duration="00:12:30"), "T.")
    run(library)
    article = Article.objects.get(slug="sleep-resets")
    assert article.audio_file.name.startswith("audio/") and article.audio_duration == timedelta(minutes=12, seconds=30)


@pytest.mark.django_db
def test_author_fields_are_imported_and_updated_by_slug(library):
    write(library, "c-authors/sydney.md", {
        "type": "author", "name": "Sydney Ceruto", "slug": "sydney", "role": "Neuro-Advisor",
        "credentials": [{"degree": "PhD", "institution": "NYU"}, "MA"],
        "featured_in": [{"outlet": "Forbes", "url": "https://forbes.com"}],
        "profile_links": [{"label": "LinkedIn", "url": "https://linkedin.com/in/x"}],
    }, "Full **bio**.")
    run(library)
    author = Author.objects.get(slug="sydney")
    assert author.role == "Neuro-Advisor" and "<strong>bio</strong>" in author.bio_html
    assert [str(row) for row in author.credentials.all()] == ["PhD, NYU", "MA"]
    assert author.featured_in.get().outlet == "Forbes" and author.profile_links.get().label == "LinkedIn"


@pytest.mark.django_db
def test_a_file_that_fails_after_its_headshot_was_stored_leaves_no_file_behind(library, media):
    (library / "c-authors/face.jpg").write_bytes(jpeg((400, 400)))
    write(library, "c-authors/sydney.md", {"type": "author", "name": "Sydney Ceruto", "slug": "sydney",
                                           "headshot": "face.jpg", "headshot_alt": "Sydney smiling.",
                                           "profile_links": [{"label": "Site", "url": "not a url"}]})
    output, failed = run(library)
    assert failed and "c-authors/sydney.md: profile_links #1: url: Enter a valid URL." in output
    assert not Author.objects.filter(slug="sydney").exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


# Live pages and other statuses

@pytest.mark.django_db
def test_a_changed_live_hub_is_updated_through_its_revision(library, client):
    run(library)
    write(library, "b-hubs/sleep.md", {"type": "hub", "title": "Sleep, revised", "slug": "sleep",
                                       "status": "published"}, "## New essay\n\nNew words.")
    output, _ = run(library)
    hub = Hub.objects.live_pages().get(slug="sleep")
    assert "b-hubs/sleep.md: update" in output and hub.title == "Sleep, revised" and hub.pending_revision is None
    assert "New words." in client.get(hub.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_status_review_on_a_live_article_submits_the_changes_and_keeps_the_live_text(library, client):
    run(library)
    write(library, "a-articles/sleep-resets.md", article_fields(status="review"), "Proposed text.")
    output, _ = run(library)
    live = Article.objects.live_pages().get(slug="sleep-resets")
    assert live.is_published and live.pending_revision.status == "review"
    assert "the changes wait in its pending revision, submitted for review" in output
    assert "Proposed text." not in client.get(live.get_absolute_url()).content.decode()
    assert "sleep-resets.md: unchanged" in run(library)[0]


@pytest.mark.django_db
def test_status_draft_on_a_live_article_takes_it_off_the_site(library, client):
    run(library)
    write(library, "a-articles/sleep-resets.md", article_fields(status="draft"), "Sleep clears the day.")
    output, _ = run(library)
    assert "unpublished: the file's status is draft" in output
    assert Article.objects.get(slug="sleep-resets").status == "draft"
    assert client.get("/articles/sleep-resets/").status_code == 404


@pytest.mark.django_db
def test_a_single_file_path_is_imported(library, make_author, make_hub):
    make_author(slug="sydney"), make_author(slug="review-team", kind="organisation"), make_hub(slug="sleep")
    output, failed = run(library / "a-articles/sleep-resets.md")
    assert not failed and Article.objects.get(slug="sleep-resets").is_published


@pytest.mark.django_db
def test_a_missing_path_fails_with_its_name(tmp_path):
    output, failed = run(tmp_path / "nowhere")
    assert failed and f"{tmp_path / 'nowhere'}: no such file or folder" in output


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_a_long_run_shows_a_progress_bar_on_a_terminal_only(tmp_path):
    for n in range(20):
        write(tmp_path / "many", f"author-{n}.md", {"type": "author", "name": f"Author {n}", "slug": f"author-{n}"})
    terminal = Terminal()
    call_command("import_content", str(tmp_path / "many"), stdout=terminal)
    assert f"[{'#' * 30}] 20/20" in terminal.getvalue() and "20 created" in terminal.getvalue()
    output, _ = run(tmp_path / "many")
    assert "[#" not in output and "20 unchanged" in output


@pytest.mark.django_db
def test_the_examples_in_the_format_doc_import_as_documented(tmp_path, make_hub, make_author, make_reference,
                                                            make_article, settings, client):
    doc = (Path(settings.BASE_DIR) / "docs/import-format.md").read_text()
    examples = re.findall(r"```markdown\n(.*?)```", doc, re.DOTALL)
    assert len(examples) == 4
    folder = tmp_path / "doc"
    for n, example in enumerate(examples):
        write(folder, f"{n}.md", {}, "")
        (folder / f"{n}.md").write_text(example)
    for name in ("sydney.jpg", "drive.jpg", "effort.jpg"):
        (folder / "images").mkdir(exist_ok=True)
        (folder / "images" / name).write_bytes(jpeg())
    (folder / "audio").mkdir()
    (folder / "audio/effort.mp3").write_bytes(b"ID3" + b"\x00" * 64)
    (folder / "effort.json").write_text('[{"title": "More", "author": [{"family": "Walker"}], '
                                        '"issued": {"date-parts": [[2017]]}, "DOI": "10.1000/more"}]')
    make_reference(doi=DOI)
    make_hub(slug="stress-and-anxiety")
    make_author(slug="mindlab-clinical-review-team", kind="organisation")
    make_article(slug="sleep-and-motivation")
    output, failed = run(folder)
    assert not failed, output
    article = Article.objects.get(slug="brain-stops-rewarding-effort")
    assert article.is_published and article.review_is_current
    assert article.references.count() == 3  # the CSL item is the first DOI again
    assert Hub.objects.get(slug="depression-and-drive").is_published
    assert Author.objects.get(slug="sydney-ceruto").credentials.count() == 2
    assert "Medically reviewed by" in client.get(article.get_absolute_url()).content.decode()
    assert "Your rights" in client.get("/privacy-policy/").content.decode()  # the standalone page's example


@pytest.mark.django_db
def test_two_files_with_the_same_slug_refuse_the_second(library):
    write(library, "z-copy.md", article_fields(), "A copy.")
    output, failed = run(library)
    assert failed and 'z-copy.md: slug "sleep-resets": a-articles/sleep-resets.md has the same article slug' in output
    assert Article.objects.get(slug="sleep-resets").body.startswith("Sleep clears the day.")


# Images inside bodies and references as BibTeX (issue 19 §1, with the media library and reference formats)

@pytest.mark.django_db
def test_images_in_the_body_go_into_the_media_library_once_and_show_as_figures(library, client):
    from media_library.models import Image as LibraryImage

    (library / "a-articles" / "figures").mkdir(parents=True)
    (library / "a-articles" / "figures" / "scan.jpg").write_bytes(jpeg())
    body = 'Sleep clears the day.\n\n![A brain scan at night](figures/scan.jpg "Activity during deep sleep")\n\nMore.'
    write(library, "a-articles/sleep-resets.md", article_fields(), body)
    output, failed = run(library)
    assert not failed, output
    image = LibraryImage.objects.get()
    article = Article.objects.get(slug="sleep-resets")
    assert (image.alt, image.caption) == ("A brain scan at night", "Activity during deep sleep")
    assert f"![A brain scan at night](image:{image.pk})" in article.body
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<figure" in page and "Activity during deep sleep" in page and 'srcset="' in page
    output, failed = run(library)  # the same file again: the same library image, nothing changed
    assert not failed and LibraryImage.objects.count() == 1 and "unchanged" in output


@pytest.mark.django_db
def test_a_body_image_that_is_no_image_names_the_file_and_saves_nothing(library):
    (library / "a-articles" / "fake.jpg").write_bytes(b"not an image at all")
    write(library, "a-articles/sleep-resets.md", article_fields(), "Text.\n\n![A scan](fake.jpg)\n")
    output, failed = run(library)
    assert failed and 'a-articles/sleep-resets.md: body image "fake.jpg"' in output
    assert not Article.objects.filter(slug="sleep-resets").exists()


@pytest.mark.django_db
def test_a_reference_given_as_bibtex_in_the_front_matter_is_cited(library, client):
    bibtex = ("@article{xie2013, author = {Xie, Lulu and Kang, Hongyi and Nedergaard, Maiken}, year = {2013}, "
              "title = {Sleep drives metabolite clearance from the adult brain}, journal = {Science}, "
              "volume = {342}, pages = {373--377}, doi = {10.1126/science.1241224}}")
    write(library, "a-articles/sleep-resets.md", article_fields(references=[{"bibtex": bibtex}]), "Text.")
    output, failed = run(library)
    assert not failed, output
    reference = Reference.objects.get(doi="10.1126/science.1241224")
    assert reference.year == 2013
    page = client.get(Article.objects.get(slug="sleep-resets").get_absolute_url()).content.decode()
    assert "Sleep drives metabolite clearance" in page and "Xie" in page


@pytest.mark.django_db
def test_updated_is_the_last_updated_date_readers_see_and_a_hub_keeps_its_review(library, client):
    write(library, "a-articles/sleep-resets.md", article_fields(updated="2026-02-03 10:00"),
          "Sleep clears the day.\n\n## Why does it matter?\n\nIt does.")
    write(library, "b-hubs/sleep.md", {"type": "hub", "title": "Sleep", "slug": "sleep", "status": "published",
                                      "author": "sydney", "reviewer": "review-team", "last_reviewed": "2026-01-20",
                                      "updated": "2026-01-21 09:00"}, "## What sleep does\n\nA pillar essay.")
    output, failed = run(library)
    assert not failed, output
    article = Article.objects.get(slug="sleep-resets")
    assert timezone.localtime(article.content_updated).strftime("%Y-%m-%d %H:%M") == "2026-02-03 10:00"
    hub = Hub.objects.get(slug="sleep")
    assert (hub.reviewer.slug, hub.last_reviewed.isoformat()) == ("review-team", "2026-01-20")
    assert hub.content_updated is not None
    output, failed = run(library)
    assert "0 created, 0 updated, 4 unchanged" in output
