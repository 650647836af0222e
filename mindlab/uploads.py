"""Uploads: generated file names, bounded sizes, and only the kinds of file each field is for."""

import logging
import uuid
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile, ImageFileDescriptor
from django.utils.deconstruct import deconstructible
from django.utils.timezone import now
from PIL import Image

log = logging.getLogger(__name__)

# The formats browsers show and Pillow's readers for them; every other reader stays closed to uploads.
IMAGE_FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
IMAGE_TYPES = "image/jpeg,image/png,image/webp"
NOT_STORED = "The image could not be stored just now, so nothing was saved. Try again in a minute."


@deconstructible
class GeneratedName:
    """upload_to: a random name in a dated folder, so an uploaded file name never reaches the disk or a URL."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        suffix = PurePosixPath(filename).suffix.lower()[:10]
        return f"{self.folder}/{now():%Y}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other):
        return isinstance(other, GeneratedName) and other.folder == self.folder


def validate_image_size(file):
    if file.size > settings.MAX_IMAGE_UPLOAD_BYTES:
        raise ValidationError(f"Images can be at most {settings.MAX_IMAGE_UPLOAD_BYTES // (1024 * 1024)} MB.")


def delete_files(storage, names):
    """Delete files that nothing refers to any more. A storage that fails is logged, never raised: this runs
    while another error is being reported, or after a commit that has already succeeded."""
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            log.exception("Could not delete %s; it is left in storage unused", name)


def check_image(file, name=None):
    """Refuse anything but a JPEG, PNG or WebP image within the size and pixel limits; return its format.

    Reads the name and the header only, with Pillow's JPEG, PNG and WebP readers and no other: nothing is
    decoded, so a huge or hostile file is refused at once. The name's extension must match the content, so
    the stored name (and the type the file is served with) tells the truth.
    """
    name = name or file.name or ""
    validate_image_size(file)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in {accepted for suffixes in IMAGE_FORMATS.values() for accepted in suffixes}:
        raise ValidationError(
            f"Upload a JPEG, PNG or WebP image (.jpg, .png or .webp); {suffix or 'a file without an extension'}"
            " is not accepted."
        )
    file.seek(0)
    try:
        with Image.open(file, formats=list(IMAGE_FORMATS)) as image:
            kind, size = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels() from error
    except Exception as error:  # Pillow raises several kinds for bytes it cannot read as any of the three
        raise ValidationError("This file is not a JPEG, PNG or WebP image, or it is damaged.") from error
    finally:
        file.seek(0)
    kind = "JPEG" if kind == "MPO" else kind  # a camera's multi-picture JPEG: browsers show its first picture
    if suffix not in IMAGE_FORMATS[kind]:
        raise ValidationError(
            f"This file is a {FORMAT_NAMES[kind]} image but its name ends in {suffix}: "
            f"rename it to end in {IMAGE_FORMATS[kind][0]} and upload it again."
        )
    if size[0] * size[1] > settings.MAX_IMAGE_PIXELS:
        raise too_many_pixels(size)
    return kind


def too_many_pixels(size=None):
    found = f"This image is {size[0]:,} × {size[1]:,} pixels" if size else "This image has too many pixels"
    return ValidationError(
        f"{found}; images can have at most {settings.MAX_IMAGE_PIXELS / 1_000_000:g} megapixels (width × "
        "height). Make it smaller and upload it again."
    )


class WebImageFormField(forms.FileField):
    """The form side of WebImageField. Django's forms.ImageField opens an upload with every format Pillow
    knows; this one lets check_image decide, before the file reaches the model."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is not None:
            check_image(upload)
        return upload

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = IMAGE_TYPES
        return attrs


class WebImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        """Store the image only if check_image accepts it, whatever path it came by (a form, a script, the
        demo loader). A storage that fails is a ValidationError on the field, with nothing stored."""
        check_image(content, name)
        try:
            super().save(name, content, save=False)
        except Exception as error:
            log.exception("Could not store an upload for %s", self.field)
            raise ValidationError({self.field.name: NOT_STORED}) from error
        if save:
            self.instance.save()


class WebImageDescriptor(ImageFileDescriptor):
    """Notes whether the field holds a new upload (a File) or a stored file (a name), so that validation
    reads new uploads only: reading a stored image on every save would download it, and would refuse an
    unrelated edit of a page whose image was accepted under older rules."""

    def __set__(self, instance, value):
        if value is not None and value is instance.__dict__.get(self.field.attname):
            return  # full_clean() assigns each value back; Django would then open the file to measure it again
        super().__set__(instance, value)
        instance.__dict__[self.field.upload_key] = isinstance(value, File) and not isinstance(value, FieldFile)


class WebImageField(models.ImageField):
    """An image field that accepts JPEG, PNG and WebP images within the size and pixel limits, checked by
    extension and content wherever the image comes from: the form, full_clean(), or a save without either."""

    attr_class = WebImageFieldFile
    descriptor_class = WebImageDescriptor
    default_validators = []  # Django's default allows every extension Pillow knows; check_image decides

    @property
    def upload_key(self):
        return f"{self.attname}_is_new_upload"

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value and model_instance.__dict__.get(self.upload_key):
            check_image(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebImageFormField, **kwargs})


def validate_audio(file):
    if file.size > settings.MAX_AUDIO_UPLOAD_BYTES:
        raise ValidationError(f"Audio files can be at most {settings.MAX_AUDIO_UPLOAD_BYTES // (1024 * 1024)} MB.")
    if PurePosixPath(file.name).suffix.lower() not in {".mp3", ".m4a", ".ogg", ".oga", ".wav"}:
        raise ValidationError("Upload the audio as MP3, M4A, OGG or WAV.")
    head = file.read(12)
    file.seek(0)
    known = (head[:3] == b"ID3" or head[:2] in {b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"} or head[:4] == b"OggS"
             or (head[:4] == b"RIFF" and head[8:12] == b"WAVE") or head[4:8] == b"ftyp")
    if not known:
        raise ValidationError("That file does not look like audio.")
