"""Files people attach to records (an appeal's photos, a stage move's evidence, a policy's documents):
one size limit, one check at upload, one way out. A file is never on a public media URL, in
development or in production (nginx answers 404 under /media/): it is downloaded through a view that
first finds its record in the caller's scope, and always as a download, so a hostile HTML or SVG file
is never rendered by the browser on ZoneOS's origin.

Upload names reach here already cleaned (NFC, no invisible, direction-changing or control
characters: zoneos.core.text.clean_file_name, applied by the parsers and the form middleware).
"""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def check_upload(upload, field: str = "file") -> None:
    """ValidationError naming `field` when there is no file, an empty one or one over the limit."""
    if upload is None:
        raise ValidationError({field: [_("Choose a file.")]})
    if upload.size == 0:
        raise ValidationError({field: [_("The file is empty.")]})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {field: [_("A file may be at most %(mb)d MB.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}]}
        )


def download(stored, name: str | None = None) -> FileResponse:
    """The stored file (a FieldFile) as a download named `name` (default: its stored name); 404 when
    the file is gone from storage."""
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=name or PurePath(stored.name).name)
