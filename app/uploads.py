"""Uploaded images (the agency logo printed on every letter): checked, re-encoded, stored safely.

FAB's ImageUploadField takes any file with an image-like extension, names the stored file after the
client's file name (`../../y.png` creates stray directories), and deletes the old file before the
new one is stored and before the database commit. Here:

- the upload is checked before anything is written: at most 2 MB, really a PNG or JPEG (Pillow opens
  and verifies it; SVG and every other format are refused), sensible dimensions;
- it is re-encoded by Pillow (no trailing payload, no metadata, EXIF orientation applied) and stored
  under a generated name, never one derived from the client's file name;
- the replaced file is deleted only after the database commit succeeded (the view calls
  `delete_replaced()` from post_update/post_add/post_delete).
"""

from __future__ import annotations

import io
import os
import secrets
import tempfile
from pathlib import Path

from flask import g
from flask_appbuilder.filemanager import ImageManager
from flask_appbuilder.upload import ImageUploadField
from flask_babel import gettext as _
from markupsafe import Markup, escape
from PIL import Image, ImageOps
from werkzeug.datastructures import FileStorage
from wtforms import ValidationError
from wtforms.widgets import html_params

MAX_BYTES = 2 * 1024 * 1024
MIN_SIDE, MAX_SIDE = 16, 4000  # pixels, checked before the image is decoded
STORED_SIDE = 600  # plenty for a 2.2 cm logo at print resolution
FORMATS = {"PNG": "png", "JPEG": "jpg"}


def check_image(data: bytes) -> Image.Image:
    """The decoded image, or ValidationError with a message saying what is wrong with the file."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The logo file is larger than %(mb)d MB.", mb=MAX_BYTES // (1024 * 1024)))
    not_image = _("The logo must be a PNG or JPEG image; this file is not one (SVG and other formats are "
                  "not accepted).")  # fmt: skip
    try:
        image = Image.open(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - Pillow reports unreadable files with several exception types
        raise ValidationError(not_image) from None
    if image.format not in FORMATS:
        raise ValidationError(not_image)
    width, height = image.size
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise ValidationError(_("The logo is %(w)d × %(h)d pixels; each side must be between %(min)d and %(max)d.",
                                w=width, h=height, min=MIN_SIDE, max=MAX_SIDE))  # fmt: skip
    try:
        image.verify()  # structure and checksums; the image object is unusable afterwards
        image = Image.open(io.BytesIO(data))
        image.load()  # decode every pixel: a truncated file fails here, not later in a PDF
    except Exception:  # noqa: BLE001 - Pillow reports damaged files with several exception types
        raise ValidationError(_("The logo file is damaged or incomplete; save it again as PNG or JPEG.")) from None
    return image


class LogoManager(ImageManager):
    """Stores checked images under generated names in IMG_UPLOAD_FOLDER; deletes only its own files."""

    def __init__(self, **kwargs):
        super().__init__(thumbnail_size=None, allowed_extensions=tuple(FORMATS.values()), **kwargs)

    def store(self, image: Image.Image) -> str:
        """Re-encode and write the image atomically; return its new file name."""
        fmt = image.format
        image = ImageOps.exif_transpose(image)
        image.thumbnail((STORED_SIDE, STORED_SIDE), Image.LANCZOS)
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        name = f"logo-{secrets.token_hex(12)}.{FORMATS[fmt]}"
        folder = Path(self.base_path)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                image.save(out, fmt, **({"quality": 90} if fmt == "JPEG" else {"optimize": True}))
            os.chmod(tmp, 0o644)
            os.replace(tmp, folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return name

    def delete_file(self, filename):
        """Delete a stored file, but never anything outside the upload folder (old rows may hold names
        like `uuid_sep_../../y.png` from before the check)."""
        folder = Path(self.base_path).resolve()
        path = (folder / str(filename or "")).resolve()
        if filename and path.parent == folder and path.is_file():
            path.unlink()


class LogoWidget:
    """FAB's image upload widget with the delete box labelled in the user's language."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        kwargs.setdefault("name", field.name)
        kwargs.setdefault("accept", "image/png,image/jpeg")
        upload = (f'<div class="input-group"><span class="input-group-addon"><i class="fa fa-upload"></i></span>'
                  f'<input class="form-control" {html_params(type="file", **kwargs)}/></div>')  # fmt: skip
        if not field.data or isinstance(field.data, FileStorage):
            return Markup(upload)
        image = html_params(src=field.imagemanager.get_url(field.data), alt="", style="max-height: 80px;")
        delete = html_params(type="checkbox", name=f"_{field.name}-delete", id=f"_{field.name}-delete")
        return Markup(f'<div class="thumbnail"><img {image}> <label><input {delete}> {escape(_("Delete"))}</label>'
                      f"</div>{upload}")  # fmt: skip


class LogoUploadField(ImageUploadField):
    """ImageUploadField that checks the content, stores safely and defers deleting the old file."""

    widget = LogoWidget()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, imagemanager=LogoManager(), **kwargs)
        self.image: Image.Image | None = None

    def pre_validate(self, form):
        self.image = None
        if isinstance(self.data, FileStorage) and self.data:
            self.image = check_image(self.data.stream.read(MAX_BYTES + 1))

    def populate_obj(self, obj, name):
        old = getattr(obj, name, None)
        if self.image is not None:
            setattr(obj, name, self.imagemanager.store(self.image))
        elif self._should_delete and old:
            setattr(obj, name, None)
        else:
            return
        if old:
            delete_after_commit(self.imagemanager, old)


def delete_after_commit(manager: ImageManager, filename: str) -> None:
    """Remember a file to delete once the row that pointed to it has been saved without it."""
    g.setdefault("uploads_replaced", []).append((manager, filename))


def delete_replaced() -> None:
    """After a successful commit: delete the files that the saved rows no longer point to."""
    for manager, filename in g.pop("uploads_replaced", []):
        manager.delete_file(filename)
