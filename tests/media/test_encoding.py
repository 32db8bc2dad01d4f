"""The encoder pool shares one resized image between its threads: each format must
come out exactly as it does when encoded alone."""

from concurrent.futures import ThreadPoolExecutor

from PIL import Image

from apps.media.encoding import EncoderSettings, encode

WHITE = (255, 255, 255)


def test_encodes_sharing_one_image_in_threads_match_the_serial_encodes():
    im = Image.effect_mandelbrot((960, 640), (-2, -1.2, 1, 1.2), 100).convert("RGB")
    enc = EncoderSettings()
    formats = ("jpeg", "webp", "avif")
    alone = {fmt: encode(im, fmt, enc, WHITE) for fmt in formats}
    with ThreadPoolExecutor(3) as pool:
        runs = [(fmt, pool.submit(encode, im, fmt, enc, WHITE)) for _ in range(8) for fmt in formats]
        differing = [fmt for fmt, future in runs if future.result() != alone[fmt]]
    assert differing == []
    assert not hasattr(im, "encoderinfo")  # the shared image is left as it was
