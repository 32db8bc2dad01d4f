"""Benchmark the wording check: 10,000 list entries against a 20,000-character body.

The path is the one the editorial gates run (``apps.inspection``): the body's
HTML reduced to what readers see (``texts.visible_text``), folded (full-width →
half-width), matched by the Aho-Corasick automaton (``matching.Matcher``), and
each hit's context cut for the reviewer. The automaton is built once (as it is
once per list version in each process) and its build time is reported apart.

For information: a plain loop over the list (``str.find`` per term), the thing
a multi-pattern matcher replaces.

    python bench/wording/run.py [--entries 10000] [--chars 20000] [--runs 50]

The last line is machine-readable:

    BENCH wording entries=10000 chars=20000 hits=… build_ms=… check_p50_ms=… check_p99_ms=… loop_ms=… target=check_p50<50ms PASS|FAIL
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkportal.settings.test")

import django  # noqa: E402

django.setup()

from apps.inspection.matching import Entry, Matcher, context  # noqa: E402
from apps.inspection.texts import visible_text  # noqa: E402

COMMON = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"


def random_text(rng, n):
    return "".join(rng.choice(COMMON) for _ in range(n))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--chars", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(16)

    terms = set()
    while len(terms) < args.entries:
        terms.add(random_text(rng, rng.randint(3, 8)))
    entries = [Entry(i, term, "typo", "warn" if i % 10 else "block", term[::-1]) for i, term in enumerate(sorted(terms))]

    # A body as an editor writes it: paragraphs, inline tags, full-width letters, some list terms.
    planted = rng.sample(entries, 40)
    parts, length = [], 0
    while length < args.chars:
        chunk = random_text(rng, rng.randint(60, 200))
        length += len(chunk)
        if rng.random() < 0.3:
            entry = rng.choice(planted)
            cut = len(entry.term) // 2
            chunk += f"<strong>{entry.term[:cut]}</strong>{entry.term[cut:]}"
            length += len(entry.term)
        if rng.random() < 0.1:
            chunk += "ＰＡＲＫ２０２６"
            length += 8
        parts.append(f"<p>{chunk}</p>")
    body = "".join(parts)

    started = time.perf_counter()
    matcher = Matcher(entries)
    build_ms = (time.perf_counter() - started) * 1000

    def check():
        text = visible_text(body)
        hits = matcher.find(text)
        return [context(text, hit) for hit in hits]

    check()  # warm-up
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        found = check()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]

    text = visible_text(body)
    started = time.perf_counter()
    loop_hits = sum(1 for entry in entries if entry.term in text)
    loop_ms = (time.perf_counter() - started) * 1000

    verdict = "PASS" if p50 < 50 and len(found) >= loop_hits else "FAIL"
    print(f"entries={len(entries)} body_chars={len(text)} html_chars={len(body)} hits={len(found)} "
          f"loop_terms_found={loop_hits}")
    print(f"BENCH wording entries={len(entries)} chars={len(text)} hits={len(found)} build_ms={build_ms:.1f} "
          f"check_p50_ms={p50:.2f} check_p99_ms={p99:.2f} loop_ms={loop_ms:.1f} target=check_p50<50ms {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
