"""Uploads: generated file names, bounded sizes, and only the kinds of file each field is for."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.timezone import now


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
