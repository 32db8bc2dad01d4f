"""Video validation (PyAV) and transcoding (ffmpeg). Framework-free.

FFmpeg comes from PyPI, so that video works on a machine with only Python:
the ``ffmpeg`` binary from imageio-ffmpeg (``ffmpeg_exe``) and FFmpeg's
libraries inside PyAV's wheels (``av``), which read the streams in place of
ffprobe. A missing tool raises ``VideoToolMissing``, whose message is shown
to the editor (never a 500).

``sniff_container`` recognises MP4/MOV (an ISO-BMFF ``ftyp`` box) and WebM
(an EBML header whose DocType is webm) from the first bytes; ``probe_video``
reads the streams and refuses what is not a playable video.
``transcode`` writes the web MP4 (H.264 High + AAC, ``+faststart``, at most
1920x1080, metadata stripped) and ``extract_poster`` a JPEG frame.
"""

import functools
import os
import subprocess
from dataclasses import dataclass
from fractions import Fraction

MESSAGES = {
    "empty": "上传的文件是空的（0 字节），请重新选择视频。",
    "too_large": "视频文件过大（{size}），不能超过 {limit}。",
    "not_video": "文件内容不是支持的视频（系统按内容识别），请上传 MP4、MOV 或 WebM 视频。",
    "no_video_stream": "文件中没有视频画面，请上传包含视频的文件。",
    "corrupt": "视频文件已损坏或不完整，无法读取，请检查后重新上传。",
    "too_long": "视频过长（{duration}），不能超过 {limit}。",
    "captions_not_vtt": "字幕文件应为 WebVTT 格式（以 WEBVTT 开头的 UTF-8 文本文件，扩展名 .vtt）。",
    "captions_too_large": "字幕文件过大，不能超过 {limit}。",
    "tool_missing": "服务器缺少视频处理组件（{tool}），暂时无法处理视频，请联系系统管理员安装后重试。",
}

MAX_WIDTH, MAX_HEIGHT = 1920, 1080
PROBE_TIMEOUT = 30


class VideoRejected(Exception):
    def __init__(self, code: str, **params):
        self.code = code
        self.message = MESSAGES[code].format(**params)
        super().__init__(self.message)


class VideoToolFailed(Exception):
    """ffmpeg failed on a file that had passed validation (retryable)."""


class VideoToolMissing(VideoToolFailed):
    """ffmpeg or PyAV is not installed; ``message`` says so in Chinese.

    Retryable in the worker: installing the tool and re-running fixes it."""

    def __init__(self, tool: str):
        self.code = "tool_missing"
        self.message = MESSAGES["tool_missing"].format(tool=tool)
        super().__init__(self.message)


@functools.lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary shipped in imageio-ffmpeg's wheel (IMAGEIO_FFMPEG_EXE
    overrides it), or VideoToolMissing (not cached: a later install is found)."""
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        raise VideoToolMissing("FFmpeg：pip install imageio-ffmpeg") from None


def _av():
    try:
        import av
    except ImportError:
        raise VideoToolMissing("PyAV：pip install av") from None
    return av


def sniff_container(head: bytes) -> str:
    """'mp4', 'mov' or 'webm' from the first bytes of a file; '' when none."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        return "mov" if brand == b"qt  " else "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:64]:
        return "webm"
    return ""


@dataclass
class VideoInfo:
    container: str
    duration: float
    width: int
    height: int
    video_codec: str
    audio_codec: str
    raw: dict


def _rate(value) -> str | None:
    return f"{value.numerator}/{value.denominator}" if isinstance(value, Fraction) else None


def _stream_facts(stream) -> dict:
    """What an editor may want to see of a stream (the fields ffprobe named); no tags,
    which can carry GPS."""
    context = stream.codec_context
    video = stream.type == "video"
    return {
        "codec_type": stream.type,
        "codec_name": context.name,
        "width": context.width if video else None,
        "height": context.height if video else None,
        "r_frame_rate": _rate(stream.base_rate) if video else None,
        "sample_rate": context.sample_rate if stream.type == "audio" else None,
        "channels": context.channels if stream.type == "audio" else None,
        "bit_rate": context.bit_rate or None,
        "pix_fmt": context.pix_fmt if video else None,
    }


def _duration(box, stream) -> float:
    if box.duration:
        return box.duration / 1_000_000  # AV_TIME_BASE
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return 0.0


def probe_video(path: str, container: str) -> VideoInfo:
    av = _av()
    try:
        with av.open(path, metadata_errors="ignore") as box:
            streams = list(box.streams)
            video = next(
                (s for s in streams if s.type == "video" and not s.disposition & av.stream.Disposition.attached_pic),
                None,
            )
            if video is None:
                raise VideoRejected("no_video_stream")
            duration = _duration(box, video)
            first = next(box.decode(video), None)  # decodable; carries the display rotation
            if first is None:
                raise VideoRejected("corrupt")
            width, height = first.width, first.height
            if abs(first.rotation or 0) % 180 == 90:
                width, height = height, width
            raw = {
                "format": {"format_name": box.format.name, "duration": f"{duration:.6f}",
                           "bit_rate": box.bit_rate or None, "size": box.size},
                "streams": [_stream_facts(s) for s in streams],
            }
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError):
        raise VideoRejected("corrupt") from None
    if duration <= 0 or width <= 0 or height <= 0:
        raise VideoRejected("corrupt")
    _check_complete(path)
    audio = next((s for s in raw["streams"] if s["codec_type"] == "audio"), {})
    return VideoInfo(container, duration, width, height, video.codec_context.name, audio.get("codec_name", ""), raw)


def _check_complete(path: str) -> None:
    """Read every packet without decoding (fast): a truncated upload says "partial file"."""
    args = [ffmpeg_exe(), "-nostdin", "-v", "error", "-i", path, "-map", "0", "-c", "copy", "-f", "null", "-"]
    try:
        result = subprocess.run(args, capture_output=True, timeout=PROBE_TIMEOUT * 4, check=False)
    except subprocess.TimeoutExpired:
        raise VideoRejected("corrupt") from None
    except OSError:  # the binary went away or cannot run here
        raise VideoToolMissing("FFmpeg") from None
    errors = result.stderr.decode("utf-8", "replace").lower()
    if result.returncode != 0 or "partial file" in errors or "truncat" in errors:
        raise VideoRejected("corrupt")


def _run(args: list[str], timeout: float) -> None:
    try:
        result = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise VideoToolFailed(f"ffmpeg timed out after {timeout:.0f}s") from exc
    except OSError:
        raise VideoToolMissing("FFmpeg") from None
    if result.returncode != 0:
        tail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise VideoToolFailed("ffmpeg failed: " + " | ".join(tail))


def transcode(source: str, target: str, *, has_audio: bool, timeout: float) -> None:
    """The web MP4: H.264 + AAC, faststart, fits in 1920x1080, even sides, no metadata."""
    scale = (
        f"scale=w='min({MAX_WIDTH},iw)':h='min({MAX_HEIGHT},ih)':force_original_aspect_ratio=decrease,"
        "scale=trunc(iw/2)*2:trunc(ih/2)*2"
    )
    args = [
        ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", source,
        "-map", "0:v:0", "-vf", scale,
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high", "-pix_fmt", "yuv420p",
        "-map_metadata", "-1", "-map_chapters", "-1", "-movflags", "+faststart",
    ]
    if has_audio:
        args += ["-map", "0:a:0", "-c:a", "aac", "-b:a", "128k", "-ac", "2"]
    args += ["-f", "mp4", target]
    _run(args, timeout)


def extract_poster(source: str, target: str, *, at: float, timeout: float) -> None:
    """A JPEG frame at ``at`` seconds, scaled like the web video, no metadata."""
    scale = f"scale=w='min({MAX_WIDTH},iw)':h='min({MAX_HEIGHT},ih)':force_original_aspect_ratio=decrease"
    _run(
        [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-ss", f"{at:.3f}", "-i", source,
         "-frames:v", "1", "-vf", scale, "-map_metadata", "-1", "-q:v", "3", "-f", "image2", target],
        timeout,
    )


def stream_size(path: str) -> tuple[int, int]:
    av = _av()
    try:
        with av.open(path) as box:
            context = box.streams.video[0].codec_context
            return context.width, context.height
    except (av.FFmpegError, OSError, IndexError):
        raise VideoToolFailed("the transcoded file could not be read") from None


def check_webvtt(data: bytes, limit: int) -> str:
    """The captions text, or VideoRejected."""
    if len(data) > limit:
        raise VideoRejected("captions_too_large", limit=f"{limit // 1024} KB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise VideoRejected("captions_not_vtt") from None
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    if not (first == "WEBVTT" or first.startswith("WEBVTT ") or first.startswith("WEBVTT\t")):
        raise VideoRejected("captions_not_vtt")
    if "<script" in text.lower() or "\x00" in text:
        raise VideoRejected("captions_not_vtt")
    return text


def remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
