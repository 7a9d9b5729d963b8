"""Checking and normalising uploaded photos, for every app that takes them.

A photo is accepted by what its bytes are, not by its name: Pillow must read it
as JPEG, PNG or WebP, within the size limits in settings. It is then re-encoded as
JPEG, turned upright, scaled down and stripped of metadata (phones put the GPS
position of the photographer in EXIF), and a thumbnail is made.

Photos are then written with ``photos_stored``, so that an upload that fails (a
full or read-only disk, or the database refusing the rows) leaves no file behind.
"""

import io
import logging
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
FULL_SIZE = 2560
THUMBNAIL_SIZE = 480

logger = logging.getLogger(__name__)


@dataclass
class PreparedImage:
    image: ContentFile
    thumbnail: ContentFile


def _jpeg(image: Image.Image, quality: int) -> ContentFile:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def image_prepare(upload) -> PreparedImage:
    """Return the photo and its thumbnail as JPEG files, or raise ``ValidationError``
    with a message for the user naming the file."""
    name = getattr(upload, "name", "")
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is too large (%(size)s); the limit is %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.PHOTO_MAX_BYTES),
            }
        )
    not_an_image = ValidationError(
        _("%(name)s is not a photo in JPEG, PNG or WebP format.") % {"name": name}
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise not_an_image
            width, height = probe.size
            # The header tells the pixel count before anything is decoded, so a
            # small file that would unpack into gigabytes is refused here.
            if width * height > settings.PHOTO_MAX_PIXELS:
                raise ValidationError(
                    _("%(name)s has too many pixels (%(width)s × %(height)s).")
                    % {"name": name, "width": width, "height": height}
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    image.thumbnail((FULL_SIZE, FULL_SIZE))
    full = _jpeg(image, quality=88)
    image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    return PreparedImage(image=full, thumbnail=_jpeg(image, quality=80))


def images_prepare(files, *, field: str) -> list[PreparedImage]:
    """Prepare every upload, or raise one ``ValidationError`` on ``field`` naming
    each bad file, so that nothing is saved when any file is wrong."""
    prepared, errors = [], []
    for upload in files:
        try:
            prepared.append(image_prepare(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({field: errors})
    return prepared


class PhotosNotStored(ValidationError):
    """The storage could not write a photo; nothing of the upload was kept."""


class PhotoFiles:
    """Writes the files of photos and remembers each name, so that all of them
    can be removed again when the upload fails."""

    def __init__(self):
        self._written: list[tuple[object, str]] = []

    def save(self, photo, prepared: PreparedImage) -> None:
        """Write the photo and its thumbnail into ``photo.image`` and
        ``photo.thumbnail``; raise ``PhotosNotStored`` if the storage fails."""
        self._save(photo.image, prepared.image)
        self._save(photo.thumbnail, prepared.thumbnail)

    def _save(self, field_file, content) -> None:
        field, storage = field_file.field, field_file.storage
        name = field.generate_filename(field_file.instance, content.name)
        name = storage.get_available_name(name, max_length=field.max_length)
        # Remembered before writing: a write that fails half-way (ENOSPC) can
        # leave an empty or partial file under this name.
        self._written.append((storage, name))
        try:
            stored = storage.save(name, content, max_length=field.max_length)
        except OSError as error:
            logger.error("A photo could not be stored as %s: %s", name, error)
            raise PhotosNotStored(
                _(
                    "The photos could not be stored, so nothing was saved. Choose the "
                    "photos again and retry; if it happens again, tell the system "
                    "administrator."
                )
            ) from error
        if stored != name:
            self._written.append((storage, stored))
        setattr(field_file.instance, field.attname, stored)

    def remove_all(self) -> None:
        for storage, name in self._written:
            try:
                if storage.exists(name):
                    storage.delete(name)
            except OSError as error:
                logger.error(
                    "A photo of a failed upload could not be removed (%s): %s", name, error
                )
        self._written.clear()


@contextmanager
def photos_stored():
    """Give a ``PhotoFiles`` for the block, and remove every file it wrote if the
    block fails: a storage error, a refused save or a database error.

    Open it around the ``transaction.atomic()`` that saves the photo rows, so the
    rows and the files are kept or dropped together."""
    files = PhotoFiles()
    try:
        yield files
    except DatabaseError as error:
        # The block's own transaction was rolled back, so the request can still
        # answer: the user is told and keeps what they typed, as for a full disk.
        files.remove_all()
        logger.exception("Photos were not saved: the database failed")
        raise PhotosNotStored(
            _(
                "The record could not be saved because the database did not answer, so "
                "nothing was saved. Choose the photos again and retry; if it happens "
                "again, tell the system administrator."
            )
        ) from error
    except BaseException:
        files.remove_all()
        raise


def photo_response(photo, *, size: str) -> FileResponse:
    """Return a stored photo (``size`` "thumb" or "image") for a browser, which may
    keep it privately: the views serving it have checked who may see it."""
    file = photo.thumbnail if size == "thumb" else photo.image
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response
