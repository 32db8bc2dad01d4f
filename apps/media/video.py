"""Video validation (ffprobe) and transcoding (ffmpeg). Framework-free.

``sniff_container`` recognises MP4/MOV (an ISO-BMFF ``ftyp`` box) and WebM
(an EBML header whose DocType is webm) from the first bytes; ``probe_video``
asks ffprobe for the streams and refuses what is not a playable video.
``transcode`` writes the web MP4 (H.264 High + AAC, ``+faststart``, at most
1920x1080, metadata stripped) and ``extract_poster`` a JPEG frame.
"""

import json
import os
import subprocess
from dataclasses import dataclass

MESSAGES = {
    "empty": "上传的文件是空的（0 字节），请重新选择视频。",
    "too_large": "视频文件过大（{size}），不能超过 {limit}。",
    "not_video": "文件内容不是支持的视频（系统按内容识别），请上传 MP4、MOV 或 WebM 视频。",
    "no_video_stream": "文件中没有视频画面，请上传包含视频的文件。",
    "corrupt": "视频文件已损坏或不完整，无法读取，请检查后重新上传。",
    "too_long": "视频过长（{duration}），不能超过 {limit}。",
    "captions_not_vtt": "字幕文件应为 WebVTT 格式（以 WEBVTT 开头的 UTF-8 文本文件，扩展名 .vtt）。",
    "captions_too_large": "字幕文件过大，不能超过 {limit}。",
}

MAX_WIDTH, MAX_HEIGHT = 1920, 1080
PROBE_TIMEOUT = 30


class VideoRejected(Exception):
    def __init__(self, code: str, **params):
        self.code = code
        self.message = MESSAGES[code].format(**params)
        super().__init__(self.message)


class VideoToolFailed(Exception):
    """ffmpeg or ffprobe failed on a file that had passed validation (retryable)."""


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


def _display_size(stream: dict) -> tuple[int, int]:
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    rotation = 0
    for side in stream.get("side_data_list", []) or []:
        if "rotation" in side:
            rotation = int(side["rotation"])
    if abs(rotation) % 180 == 90:
        width, height = height, width
    return width, height


def probe_video(path: str, container: str) -> VideoInfo:
    try:
        result = subprocess.run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
            capture_output=True, timeout=PROBE_TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired:
        raise VideoRejected("corrupt") from None
    if result.returncode != 0:
        raise VideoRejected("corrupt")
    try:
        info = json.loads(result.stdout or b"{}")
    except ValueError:
        raise VideoRejected("corrupt") from None
    streams = info.get("streams", [])
    video = next(
        (s for s in streams if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")),
        None,
    )
    if video is None:
        raise VideoRejected("no_video_stream")
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    try:
        duration = float(info.get("format", {}).get("duration") or video.get("duration") or 0)
    except ValueError:
        duration = 0.0
    width, height = _display_size(video)
    if duration <= 0 or width <= 0 or height <= 0:
        raise VideoRejected("corrupt")
    _check_complete(path)
    # Keep what an editor may want to see; drop tags (they can carry GPS).
    raw = {
        "format": {k: info.get("format", {}).get(k) for k in ("format_name", "duration", "bit_rate", "size")},
        "streams": [
            {k: s.get(k) for k in ("codec_type", "codec_name", "width", "height", "r_frame_rate",
                                   "sample_rate", "channels", "bit_rate", "pix_fmt")}
            for s in streams
        ],
    }
    return VideoInfo(container, duration, width, height, video.get("codec_name", ""),
                     (audio or {}).get("codec_name", ""), raw)


def _check_complete(path: str) -> None:
    """Read every packet without decoding (fast): a truncated upload says "partial file"."""
    try:
        result = subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0", "-c", "copy", "-f", "null", "-"],
            capture_output=True, timeout=PROBE_TIMEOUT * 4, check=False,
        )
    except subprocess.TimeoutExpired:
        raise VideoRejected("corrupt") from None
    errors = result.stderr.decode("utf-8", "replace").lower()
    if result.returncode != 0 or "partial file" in errors or "truncat" in errors:
        raise VideoRejected("corrupt")


def _run(args: list[str], timeout: float) -> None:
    try:
        result = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise VideoToolFailed(f"ffmpeg timed out after {timeout:.0f}s") from exc
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
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", source,
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
        ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-ss", f"{at:.3f}", "-i", source,
         "-frames:v", "1", "-vf", scale, "-map_metadata", "-1", "-q:v", "3", "-f", "image2", target],
        timeout,
    )


def stream_size(path: str) -> tuple[int, int]:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
         "-of", "json", path],
        capture_output=True, timeout=PROBE_TIMEOUT, check=False,
    )
    try:
        stream = json.loads(result.stdout)["streams"][0]
        return int(stream["width"]), int(stream["height"])
    except (ValueError, KeyError, IndexError):
        raise VideoToolFailed("ffprobe could not read the transcoded file") from None


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
