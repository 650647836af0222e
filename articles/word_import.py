"""'New article from a Word file': a .docx becomes a draft article to finish in the editor.

mammoth reads the document's structure (headings, lists, links, bold, italics, tables) into HTML, the site's
sanitiser keeps only what a page may show, and markdownify writes it as Markdown. Images stay out: they
need alt text and a caption, so the editor adds them from the form.
"""

import html
import re
import zipfile
from pathlib import Path

import mammoth
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import strip_tags
from django.utils.text import slugify
from markdownify import markdownify

from authors.models import Author
from hubs.models import Hub
from mindlab.markdown import sanitise

from .models import LIVE_ONLY, Article

MAX_WORD_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a small file may unpack to far more: refused before mammoth reads it
SLUG_LENGTH = 60
# Word's Title style is the document's title, like Heading 1.
STYLE_MAP = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => h2:fresh"
UNREADABLE = "This file could not be read as a Word document. Save it from Word or Google Docs as .docx and try again."


def html_text(fragment):
    return " ".join(html.unescape(strip_tags(fragment)).split())


class WordFileError(ValueError):
    pass


def word_to_markdown(file, file_name):
    """(title, Markdown, images left out) for an uploaded .docx. The title is the document's opening heading,
    else its file name; the heading is not repeated in the body. WordFileError says what is wrong."""
    try:
        with zipfile.ZipFile(file) as archive:
            if sum(member.file_size for member in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise WordFileError("This Word file unpacks to more than 100 MB: split it into smaller files.")
            if "word/document.xml" not in archive.namelist():
                raise WordFileError(UNREADABLE)
        file.seek(0)
        images = []
        result = mammoth.convert_to_html(
            file, style_map=STYLE_MAP, convert_image=mammoth.images.img_element(lambda image: images.append(1) or {}),
        )
    except WordFileError:
        raise
    except Exception as error:  # a damaged or foreign file fails anywhere inside zipfile or mammoth
        raise WordFileError(UNREADABLE) from error
    document = re.sub(r"<img\b[^>]*>", "", result.value).strip()
    opening = re.match(r"<h([1-6])[^>]*>(.*?)</h\1>", document, re.DOTALL)
    if opening and sanitise(opening.group(2)).strip():
        title, document = html_text(opening.group(2)), document[opening.end():]
    else:
        title = re.sub(r"[_-]+", " ", Path(file_name).stem).strip() or "Untitled"
    # As on the page (mindlab/markdown.py), the title is the only h1: a body's h1 is an h2.
    document = re.sub(r"<(/?)h1\b", r"<\1h2", document)
    markdown = markdownify(sanitise(document), heading_style="ATX", bullets="-", strong_em_symbol="*").strip()
    markdown = re.sub(r"\n{3,}", "\n\n", markdown)
    if not markdown.strip():
        raise WordFileError("This Word file has no text to import.")
    return title[:200], markdown + "\n", len(images)


def unique_slug(title):
    base = slugify(title)[:SLUG_LENGTH].strip("-") or "article"
    slug, number = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug, number = f"{base[:SLUG_LENGTH - 4]}-{number}", number + 1
    return slug


class WordImportForm(forms.Form):
    file = forms.FileField(
        label="Word file", help_text="A .docx file from Word or Google Docs (File → Download → Microsoft Word), "
        "at most 20 MB. Its first heading becomes the title.",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )
    primary_hub = forms.ModelChoiceField(Hub.objects.filter(**LIVE_ONLY).order_by("title"))
    author = forms.ModelChoiceField(Author.objects.order_by("name"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".docx"):
            raise forms.ValidationError("Choose a .docx file (an older .doc: open it in Word and save it as .docx).")
        if file.size > MAX_WORD_FILE_BYTES:
            raise forms.ValidationError("This file is larger than 20 MB.")
        try:
            self.converted = word_to_markdown(file, file.name)
        except WordFileError as error:
            raise forms.ValidationError(str(error)) from error
        return file

    def save(self):
        title, body, _ = self.converted
        article = Article(
            title=title, slug=unique_slug(title), body=body, status=Article.Status.DRAFT,
            primary_hub=self.cleaned_data["primary_hub"], author=self.cleaned_data["author"],
        )
        article._change_reason = f"Imported from {self.cleaned_data['file'].name}"  # its first version's note
        article.save()
        return article


class WordImportAdminMixin:
    def get_urls(self):
        return [
            path("import-word/", self.admin_site.admin_view(self.word_import_view),
                 name="articles_article_import_word"),
            *super().get_urls(),
        ]

    def word_import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = WordImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                article = form.save()
                self.log_addition(request, article, [{"added": {}}])
            images = form.converted[2]
            note = f" Its {images} image(s) were left out: add them with the editor's image button." if images else ""
            self.message_user(request, f"Draft “{article.title}” created from {form.cleaned_data['file'].name}. "
                              f"Check its headings, lists and links.{note}", messages.SUCCESS)
            return redirect(reverse(f"{self.admin_site.name}:articles_article_change", args=[article.pk]))
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "form": form,
            "title": "New article from a Word file", "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/word_import.html", context)
