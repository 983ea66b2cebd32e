"""Photos are drawn again from their pixels, so what the camera wrote beside them (GPS position, device,
owner, time) is not stored: a photo of a child's injuries must not say where the family lives."""
from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

MAX_PIXELS = 40_000_000            # a 40-megapixel photo; more is a decompression bomb, not evidence


class NotAnImage(ValueError):
    pass


def reencode(data: bytes, content_type: str) -> bytes:
    fmt = {"image/jpeg": "JPEG", "image/png": "PNG"}[content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.format != fmt:
                    raise NotAnImage(f"not a {fmt} image")
                if img.width * img.height > MAX_PIXELS:
                    raise NotAnImage("too many pixels")
                img.load()
                upright = ImageOps.exif_transpose(img)      # keep the orientation the EXIF tag gave, then drop it
                if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGB")
                out = io.BytesIO()
                if fmt == "JPEG":
                    upright.save(out, "JPEG", quality=92)
                else:
                    upright.save(out, "PNG", optimize=True)
                return out.getvalue()
    except NotAnImage:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise NotAnImage(type(exc).__name__) from None
