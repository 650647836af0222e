"""Responsive renditions of uploaded images, made once when the image is saved."""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

RENDITION_WIDTHS = (480, 960, 1440)


def renditions(field_file):
    """Save smaller WebP copies of an uploaded image; return {"source": name, "sizes": [{width, url}]}.

    Widths at or above the original's are skipped: a rendition is never upscaled. The original is the
    last, widest entry.
    """
    storage, name = field_file.storage, field_file.name
    with field_file.open("rb") as source, Image.open(source) as opened:
        image = ImageOps.exif_transpose(opened)
        image.load()
    stem = PurePosixPath(name).with_suffix("")
    sizes = []
    for width in RENDITION_WIDTHS:
        if width >= image.width:
            break
        copy = image.convert("RGB") if image.mode not in ("RGB", "RGBA") else image.copy()
        copy.thumbnail((width, image.height * width // image.width + 1))
        buffer = BytesIO()
        copy.save(buffer, "WEBP", quality=80, method=4)
        saved = storage.save(f"{stem}-{width}w.webp", ContentFile(buffer.getvalue()))
        sizes.append({"width": copy.width, "url": storage.url(saved)})
    sizes.append({"width": image.width, "url": field_file.url})
    return {"source": name, "sizes": sizes}


def srcset(rendered):
    return ", ".join(f"{size['url']} {size['width']}w" for size in (rendered or {}).get("sizes", []))
