"""Every media write, by concern: ``images``, ``videos``, ``attachments`` (uploads
and edits), ``reprocessing`` (重新处理 and re-uploads), ``text`` (Traditional characters
converted to Simplified), ``storage`` (the private
originals they share). User actions take the acting user (``by``) and write an
audit row; processing is queued after commit and runs in the worker only.

The worker's functions (``process_image``, ``process_video``, ``sweep_stale``,
``record_failure``) live in ``apps.media.processing``, which the tasks import;
they are re-exported here for callers that run the worker's step inline (test
fixtures). Nothing here imports ``tasks``: work is queued by task name
(``apps.media.queueing``).
"""

from ..processing import PermanentFailure, process_image, process_video, record_failure, record_retry, sweep_stale
from .attachments import update_attachment, upload_attachment, validate_attachment
from .images import IMAGE_FIELDS, focal_problems, update_image, upload_image, validate_image
from .reprocessing import reprocess
from .text import convert_text_to_simplified, traditional_text
from .videos import VIDEO_FIELDS, set_video_captions, update_video, upload_video, validate_captions, validate_video

__all__ = [
    "IMAGE_FIELDS", "VIDEO_FIELDS", "PermanentFailure", "convert_text_to_simplified", "focal_problems",
    "process_image", "process_video", "record_failure", "record_retry", "reprocess", "set_video_captions",
    "sweep_stale", "update_attachment", "update_image", "update_video", "upload_attachment", "upload_image",
    "traditional_text", "upload_video", "validate_attachment", "validate_captions", "validate_image", "validate_video",
]
