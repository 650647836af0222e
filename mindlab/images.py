"""Responsive renditions of hero images: WebP copies at a few widths, made once when the image is saved.

A page's `hero_renditions` records them by storage name, never by URL:
`{"source": "heroes/2026/ab12.jpg", "sizes": [{"width": 480, "name": "heroes/2026/ab12-480w.webp"}, ...]}`.
URLs come from the storage when a page is rendered, so moving media to object storage or behind a CDN's
domain needs no re-save. Only the storage API is used (open, save, delete, url): no filesystem paths.
"""

import logging
from io import BytesIO
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import ExifTags, Image, ImageOps

from .uploads import NOT_STORED, check_image, delete_files

log = logging.getLogger(__name__)

# The widest is the largest image a page offers: an original wider than it is never sent to a browser.
RENDITION_WIDTHS = (480, 960, 1440)
DAMAGED = "This image could not be read: the file may be damaged. Export it again as JPEG, PNG or WebP and upload it."


def make_renditions(field_file):
    """Save WebP copies of a stored image; return (renditions, (width, height) as displayed).

    The widths are those of RENDITION_WIDTHS below the image's, and the image's own width when it is
    narrower than the widest: never upscaled, and the original itself is never one of them (it keeps its
    metadata and may be many times larger). EXIF orientation is applied. Any failure deletes the copies
    already saved and raises ValidationError.
    """
    storage, name = field_file.storage, field_file.name
    try:
        with storage.open(name, "rb") as source:
            kind = check_image(source, name)  # the upload limits again: nothing is decoded before them
            size, resized = _resize(source, kind)
    except ValidationError:
        raise
    except Exception as error:  # Pillow, codecs and storages each raise their own kinds
        log.warning("Could not make renditions of %s: %r", name, error)
        raise ValidationError(DAMAGED) from error
    stem = PurePosixPath(name).with_suffix("")
    sizes = []
    try:
        for width, data in resized:
            sizes.append({"width": width, "name": storage.save(f"{stem}-{width}w.webp", ContentFile(data))})
    except Exception as error:
        log.exception("Could not store the renditions of %s", name)
        delete_renditions({"sizes": sizes}, storage)
        raise ValidationError(NOT_STORED) from error
    return {"source": name, "sizes": sizes}, size


def _resize(source, kind):
    with Image.open(source, formats=[kind]) as image:
        sideways = image.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8)
        width, height = (image.height, image.width) if sideways else image.size
        widths = sorted({*(w for w in RENDITION_WIDTHS if w < width), min(width, RENDITION_WIDTHS[-1])})
        # A JPEG can be decoded at 1/2, 1/4 or 1/8 of its size: a 40-megapixel photo then needs a few
        # megabytes of memory, not over a hundred. Other formats ignore this.
        scale = widths[-1] / width
        image.draft(None, (max(1, round(image.width * scale)), max(1, round(image.height * scale))))
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
        alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        picture = image if image.mode == ("RGBA" if alpha else "RGB") else image.convert("RGBA" if alpha else "RGB")
        resized = []
        for target in reversed(widths):  # widest first; each smaller one from the one before
            picture = picture.resize((target, max(1, round(height * target / width))), Image.Resampling.LANCZOS)
            buffer = BytesIO()
            picture.save(buffer, "WEBP", quality=80, method=4)
            resized.append((target, buffer.getvalue()))
    return (width, height), resized[::-1]


def delete_renditions(renditions, storage, keep=()):
    """Delete a record's renditions from storage; never its source (the uploaded original)."""
    renditions = renditions or {}
    source = renditions.get("source")
    delete_files(storage, [size["name"] for size in renditions.get("sizes", [])
                           if size["name"] != source and size["name"] not in keep])


def srcset(renditions, storage):
    return ", ".join(f"{storage.url(size['name'])} {size['width']}w" for size in (renditions or {}).get("sizes", []))


def widest_url(renditions, storage):
    sizes = (renditions or {}).get("sizes")
    return storage.url(sizes[-1]["name"]) if sizes else None
