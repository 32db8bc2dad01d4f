"""What stops an item that shows media from being submitted for review.

Content models call these from ``submission_problems()`` with the ids their
latest version refers to: an image needs alternative text, a video with sound
captions or a transcript, and every asset must have been processed (not
pending, processing or failed).
"""

from django.utils.translation import gettext as _

from .models import Image, Status, Video


def image_problems(image_ids) -> list[str]:
    """Problems of the given images (missing alt text, not ready), in id order."""
    problems = []
    for image in Image.objects.filter(pk__in=set(image_ids)).order_by("pk"):
        name = image.title or image.original_name or f"#{image.pk}"
        if not image.alt_text.strip():
            problems.append(_("图片“%(name)s”缺少替代文本") % {"name": name})
        problems.extend(status_problems(_("图片"), name, image))
    return problems


def video_problems(video_ids) -> list[str]:
    """Not processed yet or failed; and (WCAG 2.1 1.2.2, level A) a video with sound
    and neither a captions file nor a transcript."""
    problems = []
    for video in Video.objects.filter(pk__in=set(video_ids)).order_by("pk"):
        name = video.title or f"#{video.pk}"
        if video.has_audio and not video.captions and not video.transcript.strip():
            problems.append(_("视频“%(name)s”有声音，但没有字幕文件（WebVTT）或文字稿，请在媒体资源中上传字幕或填写文字稿") % {"name": name})
        problems.extend(status_problems(_("视频"), name, video))
    return problems


def status_problems(kind: str, name: str, asset) -> list[str]:
    """A processed asset that is not ready yet, or failed."""
    if asset.status in (Status.PENDING, Status.PROCESSING):
        return [_("%(kind)s“%(name)s”仍在处理中，请稍后再提交") % {"kind": kind, "name": name}]
    if asset.status == Status.FAILED:
        return [_("%(kind)s“%(name)s”处理失败（%(error)s），请重新处理或更换") % {
            "kind": kind, "name": name, "error": asset.error[:80]}]
    return []
