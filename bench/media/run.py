#!/usr/bin/env python
"""Benchmark: the project's rendition engine against a pyvips cascade.

    python bench/media/run.py            # full run, about a minute
    python bench/media/run.py --quick    # fewer repetitions
    python bench/media/run.py --tuning   # also each piece of the engine's tuning turned off

Input: a generated 24 MP JPEG (6000x4000 stored) with photo-like content,
EXIF orientation, a GPS IFD, XMP, a comment and an Adobe RGB-like ICC profile.

Scenario A (headline, the BENCH line): orientation 3, displayed landscape
6000x4000, so the largest rendition is 1920x1280.  Scenario B: orientation 6,
displayed portrait 4000x6000, largest rendition 1920x2880 (2.25x the pixels).

Both sides produce the same set: widths 320/640/1280/1920 plus a centred
400x400 crop, each in JPEG+WebP and in JPEG+WebP+AVIF, with the same encoder
settings, sRGB output and no metadata.  Runs alternate between the two sides;
medians are reported.  Peak RSS is read from /proc/self/status (VmHWM) inside
fresh child processes after the work.

Needs pyvips and libvips for the comparison side only (the project itself
needs neither): ``pip install -r bench/requirements.txt`` installs both from
PyPI (pyvips-binary ships libvips). Without them the bench says so and exits 2.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WIDTHS = (320, 640, 1280, 1920)
CROP = 400
JW = ("webp", "jpeg")
ALL = ("avif", "webp", "jpeg")
TARGET_RATIO = 1.10
TARGET_RSS_MB = 100


# ---------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------


def make_input(path: Path, orientation: int) -> None:
    from tests.media import images

    im = images.photo_like((6000, 4000))
    data = images.save_jpeg_with_metadata(
        im, orientation=orientation, icc_profile=images.adobe_rgb_profile(), quality=90
    )
    path.write_bytes(data)


# ---------------------------------------------------------------------------
# The two implementations
# ---------------------------------------------------------------------------


#: The engine's tuning, each piece turned off in turn (``--tuning``): what the
#: engine keeps must show here that it pays.
TUNING = ("default", "no-pool", "no-gate", "no-trim")


def own(path: str, formats, workers=None, variant="default"):
    from apps.media import encoding, renditions

    config = renditions.DEFAULT_CONFIG.with_formats(*formats)
    kwargs = {"max_workers": 1 if variant == "no-pool" else workers}
    if variant == "no-gate":
        kwargs["encode_memory"] = 1 << 62
    trim = encoding.malloc_trim
    if variant == "no-trim":
        encoding.malloc_trim = renditions.malloc_trim = lambda: None
    try:
        result = renditions.render_renditions(path, config=config, **kwargs)
    finally:
        encoding.malloc_trim = renditions.malloc_trim = trim
    return [(r.spec.kind, r.spec.size, r.spec.format, r.width, r.height, r.data) for r in result]


_VIPS_METADATA_PREFIXES = ("exif-", "xmp-", "iptc-", "icc-profile-", "jpeg-", "png-comment", "orientation")


def _vips_strip(image):
    # strip=True alone leaves EXIF in WebP output with libvips 8.14, so the
    # metadata fields are removed from the image itself as well.
    image = image.copy()
    for name in image.get_fields():
        if name.startswith(_VIPS_METADATA_PREFIXES):
            image.remove(name)
    return image


def vips_cascade(
    path: str, formats, *, avif_speed: int, jpeg_q: int, webp_q: int, webp_method: int, avif_q: int, workers: int = 1
):
    """Same rendition set with libvips: shrink-on-load thumbnail for the
    largest width (autorotate, ICC import/export to sRGB), then a Lanczos3
    cascade, each level materialised once.  libvips threads every operation
    itself; ``workers`` > 1 also runs the saves concurrently (informational
    variant: pyvips releases the GIL in libvips calls)."""
    from concurrent.futures import ThreadPoolExecutor

    import pyvips

    pool = ThreadPoolExecutor(workers) if workers > 1 else None

    head = pyvips.Image.new_from_file(path, access="sequential")
    orientation = head.get("orientation") if head.get_typeof("orientation") else 1
    ow, oh = (head.height, head.width) if orientation >= 5 else (head.width, head.height)
    targets = sorted([w for w in WIDTHS if w <= ow], reverse=True) or [ow]
    side = min(CROP, ow, oh)

    def encode(image, fmt):
        if fmt == "jpeg":
            return image.jpegsave_buffer(
                Q=jpeg_q, interlace=True, optimize_coding=False, subsample_mode="on", strip=True
            )
        if fmt == "webp":
            return image.webpsave_buffer(Q=webp_q, effort=webp_method, strip=True)
        return image.heifsave_buffer(
            Q=avif_q, compression="av1", effort=9 - avif_speed, subsample_mode="on", strip=True
        )

    def save(image, fmt):
        return pool.submit(encode, image, fmt) if pool else encode(image, fmt)

    out = []
    top = pyvips.Image.thumbnail(
        path, targets[0], height=10_000_000, size="down", export_profile="srgb", intent="perceptual"
    )
    previous = _vips_strip(top).copy_memory()
    levels = []
    for index, width in enumerate(targets):
        height = max(1, round(width * oh / ow))
        if index:
            previous = previous.resize(
                width / previous.width, vscale=height / previous.height, kernel="lanczos3"
            ).copy_memory()
        levels.append(previous)
        for fmt in formats:
            out.append(("width", width, fmt, previous.width, previous.height, save(previous, fmt)))
    source = next((lv for lv in reversed(levels) if min(lv.width, lv.height) >= side), levels[0])
    square = min(source.width, source.height)
    left, top_ = (source.width - square) // 2, (source.height - square) // 2
    crop = source.extract_area(left, top_, square, square)
    if square != side:
        crop = crop.resize(side / square, vscale=side / square, kernel="lanczos3")
    crop = crop.copy_memory()
    for fmt in formats:
        out.append(("crop", side, fmt, crop.width, crop.height, save(crop, fmt)))
    if pool:
        out = [(*row[:5], row[5].result()) for row in out]
        pool.shutdown()
    return out


def vips_settings():
    from apps.media.renditions import EncoderSettings

    enc = EncoderSettings()
    return dict(
        avif_speed=enc.avif_speed,
        jpeg_q=enc.jpeg_quality,
        webp_q=enc.webp_quality,
        webp_method=enc.webp_method,
        avif_q=enc.avif_quality,
    )


# ---------------------------------------------------------------------------
# Child processes for peak RSS
# ---------------------------------------------------------------------------


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child_main(kind: str, path: str, formats, variant: str = "default") -> None:
    if kind == "idle":
        import PIL.Image  # noqa: F401

        print(json.dumps({"hwm": _status_mb("VmHWM"), "rss": _status_mb("VmRSS")}))
        return
    if kind == "own":
        from apps.media import renditions  # noqa: F401  (import cost is part of the baseline)
    else:
        import pyvips  # noqa: F401

        from apps.media import renditions  # noqa: F401  (vips_settings reads its defaults)
    baseline = _status_mb("VmRSS")
    start = time.perf_counter()
    if kind == "own":
        own(path, formats, variant=variant)
    else:
        vips_cascade(path, formats, **vips_settings())
    elapsed = time.perf_counter() - start
    print(json.dumps({"hwm": _status_mb("VmHWM"), "baseline": baseline, "seconds": elapsed}))


def run_child(kind: str, path: Path | None = None, formats=(), variant: str = "default") -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--variant", variant]
    if path is not None:
        cmd += ["--input", str(path), "--formats", ",".join(formats)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"child {kind} failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def check_outputs(own_out, vips_out):
    """Both sides made the same renditions; report metadata left in outputs."""
    from PIL import Image

    def shape(items):
        return sorted((k, s, f, w, h) for k, s, f, w, h, _ in items)

    problems = []
    if shape(own_out) != shape(vips_out):
        problems.append(f"rendition sets differ: own={shape(own_out)} vips={shape(vips_out)}")

    def metadata(items):
        found = []
        for kind, size, fmt, *_rest, data in items:
            im = Image.open(io.BytesIO(data))
            keys = [k for k in ("exif", "icc_profile", "xmp", "comment") if im.info.get(k)]
            if keys or len(im.getexif()):
                found.append(f"{kind}{size}.{fmt}:{'+'.join(keys) or 'exif'}")
        return found

    own_meta, vips_meta = metadata(own_out), metadata(vips_out)
    if own_meta:
        problems.append(f"OWN OUTPUT HAS METADATA: {own_meta}")
    total = lambda items, fmt=None: sum(len(d) for *_x, f, _w, _h, d in items if fmt in (None, f))  # noqa: E731
    return problems, own_meta, vips_meta, total


def scenario(label, path, reps, workers_variants=True):
    settings = vips_settings()
    rows = {}
    # Warm-up: imports, libvips operation cache, transform cache, page cache.
    own(str(path), ALL)
    vips_cascade(str(path), ALL, **settings)
    times = {
        key: []
        for key in ("own_jw", "vips_jw", "own_all", "vips_all", "own1_jw", "own1_all", "vips2_jw", "vips2_all")
    }
    outputs = {}
    for rep in range(reps):
        order = ["own", "vips"] if rep % 2 == 0 else ["vips", "own"]
        for formats, tag in ((JW, "jw"), (ALL, "all")):
            for side in order:
                if side == "own":
                    t, out = timed(own, str(path), formats)
                else:
                    t, out = timed(vips_cascade, str(path), formats, **settings)
                times[f"{side}_{tag}"].append(t)
                outputs[(side, tag)] = out
        if workers_variants and rep < 3:
            for formats, tag in ((JW, "jw"), (ALL, "all")):
                t, _ = timed(own, str(path), formats, 1)
                times[f"own1_{tag}"].append(t)
                t, _ = timed(vips_cascade, str(path), formats, **settings, workers=2)
                times[f"vips2_{tag}"].append(t)
    for key, values in times.items():
        if values:
            rows[key] = statistics.median(values)
    problems, own_meta, vips_meta, total = check_outputs(outputs[("own", "all")], outputs[("vips", "all")])
    sizes = {
        side: {fmt: total(outputs[(side, "all")], fmt) for fmt in ALL} for side in ("own", "vips")
    }
    return rows, problems, vips_meta, sizes, {k: len(v) for k, v in times.items()}


def tuning_table(path, reps):
    """Scenario A with each tuning piece off: median seconds (interleaved with the
    pyvips cascade) and peak RSS in a fresh child, for both format sets."""
    settings = vips_settings()
    rows = []
    for formats, tag in ((JW, "jpeg+webp"), (ALL, "jpeg+webp+avif")):
        times = {key: [] for key in (*TUNING, "vips")}
        for _rep in range(reps):
            for variant in TUNING:
                times[variant].append(timed(own, str(path), formats, variant=variant)[0])
            times["vips"].append(timed(vips_cascade, str(path), formats, **settings)[0])
        vips = statistics.median(times["vips"])
        for variant in TUNING:
            seconds = statistics.median(times[variant])
            peak = max(run_child("own", path, formats, variant)["hwm"] for _ in range(2))
            rows.append((tag, variant, seconds, seconds / vips, peak))
    return rows


def psnr(reference, data):
    from PIL import Image, ImageChops, ImageStat

    decoded = Image.open(io.BytesIO(data)).convert("RGB")
    stat = ImageStat.Stat(ImageChops.difference(reference, decoded))
    mse = sum(stat.sum2) / (3 * reference.width * reference.height)
    return 10 * math.log10(255**2 / mse) if mse else float("inf")


def encoder_table(path):
    """Speed, size and PSNR of encoder options on the 1920 rendition."""
    from PIL import Image

    from apps.media import colour

    # The colour-managed 1920-wide image the engine encodes (orientation is
    # irrelevant for encoder speed and left out).
    with Image.open(path) as im:
        im.draft("RGB", (1920, round(1920 * im.height / im.width)))
        im.load()
        icc = im.info.get("icc_profile")
        top = im.resize((1920, round(1920 * im.height / im.width)), Image.Resampling.LANCZOS)
    top, _ = colour.prepare_colour(top, icc)
    top.info = {}

    def measure(fmt, reps, **params):
        times, data = [], b""
        for _ in range(reps):
            buf = io.BytesIO()
            start = time.perf_counter()
            top.save(buf, fmt, **params)
            times.append(time.perf_counter() - start)
            data = buf.getvalue()
        return statistics.median(times), len(data), psnr(top, data)

    rows = []
    for progressive in (False, True):
        for optimize in (False, True):
            rows.append(
                (f"JPEG q82 4:2:0 progressive={progressive} optimize={optimize}",)
                + measure("JPEG", 3, quality=82, subsampling="4:2:0", progressive=progressive, optimize=optimize)
            )
    for method in range(7):
        rows.append((f"WebP q80 method={method}",) + measure("WEBP", 3 if method < 5 else 1, quality=80, method=method))
    for speed in (6, 7, 8, 9, 10):
        rows.append((f"AVIF q60 speed={speed}",) + measure("AVIF", 1 if speed < 8 else 3, quality=60, speed=speed))
    return top.size, rows


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--child", choices=("idle", "own", "vips"), help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--formats", help=argparse.SUPPRESS)
    parser.add_argument("--variant", default="default", choices=TUNING, help=argparse.SUPPRESS)
    parser.add_argument("--tuning", action="store_true",
                        help="also measure scenario A with each piece of the engine's tuning turned off")
    args = parser.parse_args()
    if args.child:
        child_main(args.child, args.input, tuple(filter(None, (args.formats or "").split(","))), args.variant)
        return 0

    began = time.perf_counter()
    # Load Pillow's codec modules before pyvips: libvips pulls Debian's
    # libwebp into the global symbol scope, and a Pillow extension loaded
    # after it would bind to that (older) libwebp instead of its bundled one.
    import PIL
    from PIL import _avif, _imaging, _imagingcms, _webp, features  # noqa: F401

    from apps.media import renditions

    try:
        import pyvips

        vips_version = f"libvips {pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)}"
        vips_threads = pyvips.vips_lib.vips_concurrency_get()
    except Exception as exc:  # noqa: BLE001 - ImportError, or pyvips without a loadable libvips
        print(f"bench/media needs pyvips and libvips for its reference (the pyvips cascade): {exc}\n"
              f"Install them into this environment and run again:\n"
              f"    {sys.executable} -m pip install -r {ROOT / 'bench' / 'requirements.txt'}\n"
              f"(pyvips-binary ships libvips; with Debian's libvips42 installed, pip install pyvips is enough.)",
              file=sys.stderr)
        return 2

    enc = renditions.EncoderSettings()
    print("== media rendition benchmark")
    print(f"Pillow {PIL.__version__} (libjpeg-turbo {features.version('jpg')}, libwebp {features.version('webp')}, "
          f"libavif {features.version('avif')}); {vips_version}, vips threads {vips_threads}; "
          f"CPUs {os.cpu_count()}; own encoder threads (default) {renditions.default_workers()}")
    print(f"encoders: JPEG q{enc.jpeg_quality} progressive={enc.jpeg_progressive} optimize={enc.jpeg_optimize} "
          f"{enc.jpeg_subsampling} | WebP q{enc.webp_quality} method={enc.webp_method} | "
          f"AVIF q{enc.avif_quality} speed={enc.avif_speed} {enc.avif_subsampling} "
          f"(vips: same Q, webp effort={enc.webp_method}, heif av1 effort={9 - enc.avif_speed})")
    print(f"rendition set: widths {WIDTHS} (never upscaled) + {CROP}x{CROP} crop")

    reps_a, reps_b = (3, 1) if args.quick else (7, 3)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-media-") as tmp:
        land, port = Path(tmp) / "landscape-o3.jpg", Path(tmp) / "portrait-o6.jpg"
        make_input(land, orientation=3)
        make_input(port, orientation=6)
        print(f"input: 6000x4000 JPEG q90 with EXIF+GPS+XMP+comment+Adobe RGB-like ICC, "
              f"{land.stat().st_size / 1e6:.1f} MB (generated in {time.perf_counter() - began:.1f} s)")

        results = {}
        for label, path, reps in (("A", land, reps_a), ("B", port, reps_b)):
            results[label] = scenario(label, path, reps, workers_variants=(label == "A"))

        rss = {}
        rss["idle"] = run_child("idle")
        for label, path in (("A", land), ("B", port)):
            for tag, formats in (("jw", JW), ("all", ALL)):
                rss[(label, "own", tag)] = run_child("own", path, formats)
                rss[(label, "vips", tag)] = run_child("vips", path, formats)

        size_of_top, enc_rows = encoder_table(land)
        tuning_rows = tuning_table(land, 3 if args.quick else 5) if args.tuning else []

    # ----- report
    def ratio(a, b):
        return a / b if b else float("nan")

    print()
    print("== wall time, median seconds (own = apps.media.renditions.render_renditions)")
    header = (f"{'scenario':<34}{'formats':<16}{'own':>7}{'own 1thr':>10}{'pyvips':>8}{'ratio':>7}"
              f"{'vips 2 saves':>14}")
    print(header)
    print("-" * len(header))
    for label, name in (("A", "A landscape (orient. 3) 1920x1280"), ("B", "B portrait (orient. 6) 1920x2880")):
        rows = results[label][0]
        for tag, fname in (("jw", "jpeg+webp"), ("all", "jpeg+webp+avif")):
            one, two = rows.get(f"own1_{tag}"), rows.get(f"vips2_{tag}")
            print(f"{name:<34}{fname:<16}{rows[f'own_{tag}']:>7.3f}"
                  f"{(f'{one:.3f}' if one else '-'):>10}{rows[f'vips_{tag}']:>8.3f}"
                  f"{ratio(rows[f'own_{tag}'], rows[f'vips_{tag}']):>7.2f}"
                  f"{(f'{two:.3f}' if two else '-'):>14}")
    counts = results["A"][4]
    print(f"(runs per cell: A {counts['own_jw']}, informational columns {counts['own1_jw']}, "
          f"B {results['B'][4]['own_jw']}; ratio = own / pyvips, both with their defaults: own encodes "
          f"in {renditions.default_workers()} threads, libvips threads each operation. Informational: "
          f"'own 1thr' = max_workers=1; 'vips 2 saves' = the cascade with its saves in 2 Python threads)")
    print("reference figures from the issue (same machine): naive Pillow 1.26 s / 204 MB, "
          "tuned Pillow 0.47 s / 69 MB, pyvips cascade 0.45 s")

    print()
    print("== output bytes (jpeg+webp+avif set, all renditions)")
    for label in ("A", "B"):
        sizes = results[label][3]
        print(f"{label}: " + "  ".join(
            f"{fmt}: own {sizes['own'][fmt] / 1024:.0f} KB / vips {sizes['vips'][fmt] / 1024:.0f} KB" for fmt in ALL))
    problems = results["A"][1] + results["B"][1]
    for label in ("A", "B"):
        if results[label][2]:
            print(f"note: pyvips outputs still carrying metadata in {label}: {results[label][2][:4]}")
    for problem in problems:
        print("PROBLEM:", problem)
    if not problems:
        print("checked: identical rendition sets and sizes on both sides; no metadata in any own output")

    print()
    print("== peak RSS, fresh child process per cell (VmHWM after the work), MB")
    print(f"idle interpreter with Pillow imported: {rss['idle']['hwm']:.0f} MB")
    print(f"{'scenario':<12}{'formats':<18}{'own peak':>10}{'own base':>10}{'vips peak':>11}{'vips base':>11}")
    for label in ("A", "B"):
        for tag, fname in (("jw", "jpeg+webp"), ("all", "jpeg+webp+avif")):
            o, v = rss[(label, "own", tag)], rss[(label, "vips", tag)]
            print(f"{label:<12}{fname:<18}{o['hwm']:>10.0f}{o['baseline']:>10.0f}{v['hwm']:>11.0f}{v['baseline']:>11.0f}")
    print("(base = RSS after importing the module / pyvips, before the work)")

    print()
    print(f"== encoder options on the {size_of_top[0]}x{size_of_top[1]} rendition (median ms, bytes, PSNR vs. source)")
    for name, seconds, nbytes, quality in enc_rows:
        print(f"{name:<48}{seconds * 1000:>8.1f} ms{nbytes / 1024:>9.0f} KB{quality:>8.2f} dB")

    if tuning_rows:
        print()
        print("== the engine's tuning, each piece off in turn (scenario A; ratio = own / pyvips, same run)")
        print(f"{'formats':<18}{'variant':<10}{'seconds':>9}{'ratio':>7}{'peak RSS MB':>13}")
        for tag, variant, seconds, ratio_, peak in tuning_rows:
            print(f"{tag:<18}{variant:<10}{seconds:>9.3f}{ratio_:>7.2f}{peak:>13.0f}")
        print("(no-pool: encodes one at a time; no-gate: no memory budget for concurrent encodes; "
              "no-trim: freed heap is not returned to the OS)")

    rows_a = results["A"][0]
    jw_ratio = ratio(rows_a["own_jw"], rows_a["vips_jw"])
    all_ratio = ratio(rows_a["own_all"], rows_a["vips_all"])
    peak = rss[("A", "own", "jw")]["hwm"]
    peak_all = rss[("A", "own", "all")]["hwm"]
    # The time target holds for both sets (AVIF is in the production default); the
    # memory target is the issue's, measured on JPEG+WebP; the AVIF peak is reported.
    ok = jw_ratio <= TARGET_RATIO and all_ratio <= TARGET_RATIO and peak <= TARGET_RSS_MB and not problems
    print()
    load_after = os.getloadavg()
    print(f"summary: the BENCH line is scenario A; both time ratios must meet the target, the memory target is on jpeg+webp; own peak RSS with AVIF: "
          f"A {rss[('A', 'own', 'all')]['hwm']:.0f} MB, B {rss[('B', 'own', 'all')]['hwm']:.0f} MB; "
          f"total bench time {time.perf_counter() - began:.0f} s; 1-min load average "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after (other processes skew timings)")
    print(
        f"BENCH media jpeg_webp_ratio={jw_ratio:.2f} all_ratio={all_ratio:.2f} "
        f"own_s={rows_a['own_jw']:.3f} vips_s={rows_a['vips_jw']:.3f} peak_rss_mb={peak:.0f} "
        f"peak_rss_avif_mb={peak_all:.0f} "
        f"target=ratios<={TARGET_RATIO:.2f},rss<={TARGET_RSS_MB}MB {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
