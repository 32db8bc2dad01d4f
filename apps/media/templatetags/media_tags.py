"""``{% picture %}`` and ``{% video_player %}``: markup for processed media only.

They read what the worker made and never generate anything: an image or video
that is not ready yet is a neutral placeholder of the right proportions. For
pages with many pictures, ``attach_renditions()`` reads every image's rendition
rows in one query as plain tuples (no model instances, no FieldFile per file);
otherwise the tag reads ``image.renditions.all()`` (prefetch it for lists).
"""

from typing import NamedTuple

from django import template
from django.utils.functional import empty as empty_object
from django.utils.html import escape, format_html
from django.template.defaultfilters import linebreaks_filter as linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..models import Rendition, Status

register = template.Library()

SOURCE_ORDER = ("avif", "webp")
CONTENT_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}


class RenditionRow(NamedTuple):
    """What the tag needs of a rendition: its kind, size, format, dimensions and file name."""

    kind: str
    size: int
    format: str
    width: int
    height: int
    name: str


ROWS_ATTR = "_rendition_rows"


def attach_renditions(images, *, kind: str | None = None, size: int | None = None) -> None:
    """Read the renditions of many images in one query (only ``kind``/``size`` if given)
    and attach them as RenditionRow tuples, which {% picture %} then uses."""
    images = [i for i in images if i is not None]
    if not images:
        return
    rows = Rendition.objects.filter(image_id__in={i.pk for i in images})
    if kind is not None:
        rows = rows.filter(kind=kind)
    if size is not None:
        rows = rows.filter(size=size)
    by_image: dict[int, list] = {i.pk: [] for i in images}
    for image_id, *row in rows.order_by("image_id", "kind", "size", "format").values_list(
        "image_id", "kind", "size", "format", "width", "height", "file"
    ):
        by_image[image_id].append(RenditionRow(*row))
    for image in images:
        setattr(image, ROWS_ATTR, by_image[image.pk])


def _rows(image) -> list:
    rows = getattr(image, ROWS_ATTR, None)
    if rows is None:
        rows = [RenditionRow(r.kind, r.size, r.format, r.width, r.height, r.file.name) for r in image.renditions.all()]
    return rows


def _url_maker():
    """storage.url() for many names at once: a file-system storage's URL is its base
    URL plus the quoted name, without urljoin per file (lists show dozens)."""
    from django.core.files.storage import FileSystemStorage, default_storage
    from django.utils.encoding import filepath_to_uri

    storage = default_storage._wrapped if hasattr(default_storage, "_wrapped") else default_storage
    if storage is empty_object or not isinstance(storage, FileSystemStorage):
        return lambda name: default_storage.url(name)
    base = storage.base_url
    return lambda name: base + filepath_to_uri(name).lstrip("/")


def _srcset(renditions, url) -> str:
    return ", ".join(f"{url(r.name)} {r.width}w" for r in renditions)


def placeholder_html(width: int, height: int, label: str) -> str:
    ratio = f"{width} / {height}" if width and height else "3 / 2"
    return format_html(
        '<span class="media-placeholder" role="img" aria-label="{}" style="aspect-ratio: {}">'
        '<span aria-hidden="true">{}</span></span>',
        label, ratio, _("图片处理中"),
    )


def picture_html(image, *, sizes: str = "100vw", eager: bool = False, crop: int | None = None,
                 css_class: str = "") -> str:
    if image is None:
        return ""
    alt = image.alt_text or ""
    kind = "crop" if crop else "width"
    renditions = [r for r in _rows(image) if r.kind == kind and (not crop or r.size == crop)]
    if image.status != Status.READY or not renditions:
        w, h = (crop, crop) if crop else (image.width, image.height)
        return placeholder_html(w, h, alt or _("图片"))
    by_format: dict[str, list] = {}
    for r in sorted(renditions, key=lambda r: r.width):
        by_format.setdefault(r.format, []).append(r)
    fallback_set = by_format.get("jpeg") or next(iter(by_format.values()))
    largest = fallback_set[-1]
    # The <img> src (for browsers without srcset) is the one nearest 1280 wide.
    src = min(fallback_set, key=lambda r: abs(r.width - 1280))
    url = _url_maker()
    sizes = escape(sizes)
    # Built with escape() rather than format_html(): a list page has dozens of these.
    sources = "".join(
        f'<source type="{CONTENT_TYPES[f]}" srcset="{escape(_srcset(by_format[f], url))}" sizes="{sizes}">'
        for f in SOURCE_ORDER if f in by_format
    )
    loading = ' fetchpriority="high"' if eager else ' loading="lazy"'
    css = f' class="{escape(css_class)}"' if css_class else ""
    return mark_safe(
        f'<picture{css}>{sources}<img src="{escape(url(src.name))}" srcset="{escape(_srcset(fallback_set, url))}" '
        f'sizes="{sizes}" width="{largest.width}" height="{largest.height}" alt="{escape(alt)}"{loading} '
        'decoding="async"></picture>'
    )


@register.simple_tag
def picture(image, sizes="100vw", eager=False, crop=None, css_class=""):
    """``{% picture image sizes="(min-width: 60em) 40rem, 100vw" eager=True %}``;
    ``crop=400`` gives the square focal-point crop (list thumbnails)."""
    return picture_html(image, sizes=sizes, eager=eager, crop=int(crop) if crop else None, css_class=css_class)


def video_html(video) -> str:
    if video is None:
        return ""
    if video.status != Status.READY or not video.web_file:
        return format_html('<p class="media-placeholder" role="note">{}</p>', _("视频正在处理，稍后即可观看。"))
    track = ""
    if video.captions:
        track = format_html(
            '<track kind="captions" src="{}" srclang="{}" label="{}" default>',
            video.captions.url, video.captions_language, _("中文字幕"),
        )
    poster = format_html(' poster="{}"', video.poster.url) if video.poster else ""
    label = video.title or video.description or _("视频")
    transcript = ""
    if video.transcript.strip():
        # A disclosure that works without JavaScript; line breaks kept.
        transcript = format_html(
            '<details class="transcript"><summary>{}</summary>{}</details>',
            _("视频文字稿"), linebreaks(video.transcript),
        )
    return format_html('{}{}', _player(video, poster, label, track), transcript)


def _player(video, poster, label, track) -> str:
    return format_html(
        '<video controls preload="none"{} width="{}" height="{}" aria-label="{}" playsinline>'
        '<source src="{}" type="video/mp4">{}'
        '<p>{} <a href="{}">{}</a></p></video>',
        poster, video.web_width or video.width, video.web_height or video.height, label,
        video.web_file.url, track, _("您的浏览器无法播放此视频。"), video.web_file.url, _("下载视频"),
    )


@register.simple_tag
def video_player(video):
    """``{% video_player video %}``: controls, no preload, the poster frame and captions."""
    return video_html(video)
