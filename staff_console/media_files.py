"""Serving the photos, voice notes and files patients sent, to staff who are logged in.

Both the console's page route (`/media/ID`, session login) and the API's
(`/api/media/ID`, bearer token) answer with this; there is no public URL. Only
types a browser shows safely are shown inline (photos, audio, video); anything
else, an SVG or an HTML file for instance, is a download, so nothing a patient
sends can run as a page of the console.
"""

import asyncio

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from clinic_store.media import MediaStore, file_path

INLINE_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "audio/ogg",
        "audio/mpeg",
        "audio/mp4",
        "audio/aac",
        "audio/amr",
        "video/mp4",
        "video/3gpp",
    }
)
DOWNLOAD_TYPE = "application/octet-stream"


def _disposition(filename: str | None, inline: bool) -> str:
    if inline:
        return "inline"
    # Only safe characters in the header; the stored name is shown in the console as it is.
    safe = "".join(c for c in filename or "file" if c.isalnum() or c in "._- ") or "file"
    return f'attachment; filename="{safe}"'


async def media_response(request: Request, media_id: int) -> HTTPResponse:
    """The item's bytes, or 404 when there is no such item or it is not stored."""
    store: MediaStore = request.app.ctx.media
    media = await asyncio.to_thread(store.get, media_id)
    path = file_path(request.app.ctx.settings.media_dir, media) if media else None
    if path is None or not path.is_file():
        return response.json({"error": "no such file"}, status=404)
    mime_type = media.mime_type.split(";")[0].strip().lower()
    inline = mime_type in INLINE_TYPES
    return await response.file(
        path,
        mime_type=mime_type if inline else DOWNLOAD_TYPE,
        headers={"Content-Disposition": _disposition(media.filename, inline)},
    )
