"""A synthetic, non-degenerate corpus of ~3 KB briefs and 200 questions with known gold.

Recombining the starter corpus' sentences makes every word common (each sentence would land
in a sixth of the briefs), so every query matches almost everything. Instead each brief is
written from sentence templates whose slots are filled from large generated lists (people,
places, companies, units, figures, dates over ten years) and from a Zipf-distributed
vocabulary: a few words are everywhere, most are rare, and every brief carries its own rare
"topic" words, as real news does.

Brief `i` depends only on (seed, i), so the 1k corpus is a prefix of the 10k one, which is a
prefix of the 100k one. Questions for a size are drawn from that size's briefs; each names
two or three of its gold brief's rare terms mixed with common words.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gzip
import hashlib
import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "CACHE_DIR",
    "DEFAULT_SEED",
    "Brief",
    "Question",
    "Vocabulary",
    "cached_corpus",
    "generate_brief",
    "generate_corpus",
    "load_corpus",
    "passages_of",
    "questions_for",
]

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
DEFAULT_SEED = 20240901
GENERATOR_VERSION = 1  # bump when the generator changes: cached files are keyed by it
EPOCH = dt.date(2015, 1, 1)
SPAN_DAYS = 3652  # ten years of publication dates
SENTENCES_PER_BRIEF = 28  # ≈ 3 KB of body text
PASSAGE_SENTENCES = 3  # as briefs.passages: three sentences, overlapping by one
PASSAGE_MAX_CHARS = 700

_ONSETS = (
    "b br d dr f g gr h k kh l m n p r s sh t tr v z zh ch st sk kr pl fl ar el or ul in am"
).split()
_VOWELS = "a e i o u ai ei ia ou".split()
_CODAS = ["", "", "", "n", "r", "l", "s", "k", "m", "t", "sh", "v", "d"]
_FIRST_NAMES = (
    "Ali Reza Mohammad Hossein Mehdi Hassan Javad Abbas Saeed Majid Kazem Farhad Dariush"
    " Kaveh Parviz Nasser Amir Hamid Ebrahim Yousef Sergei Dmitry Nikolai Alexei Ivan"
    " Vladimir Mikhail Andrei Yuri Pavel Oleg Igor Viktor Boris Anatoly Maria Olga Elena"
    " Irina Natalia Tatiana Svetlana Leila Maryam Zahra Fatemeh Shirin Nasrin Parisa Roya"
    " Samira Anna Ekaterina Galina Lyudmila Vera Nadia Arman Rustam Timur Bahram Cyrus"
).split()
_ROLES = (
    "deputy foreign minister|energy minister|central bank governor|defence attache"
    "|presidential envoy|oil ministry adviser|parliamentary speaker|trade representative"
    "|security council secretary|port authority director|customs chief|nuclear agency spokesman"
    "|ambassador|provincial governor|chamber of commerce head|railways chief"
).split("|")
_COMPANY_KINDS = (
    "Energy|Holdings|Shipping|Petrochem|Logistics|Rail|Steel|Trading|Aviation|Grain"
    "|Telecom|Engineering|Insurance|Bank|Motors|Minerals"
).split("|")
_PLACE_KINDS = ("port", "province", "district", "free zone", "oblast", "terminal", "airfield")
_UNIT_KINDS = ("brigade", "regiment", "flotilla", "battalion", "squadron", "division")
_ORDINALS = [
    f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
    for n in range(1, 400)
]
_COMMON = (
    "Russia|Iran|Moscow|Tehran|sanctions|oil|gas|trade|talks|deal|agreement|security|military"
    "|bank|payments|corridor|railway|grain|drones|missiles|Caspian|pipeline|exports|imports"
    "|officials|ministry|delegation|visit|contract|investment"
).split("|")
_COMMON_Q = (
    "Russia|Iran|Moscow|Tehran|sanctions|trade|talks|deal|oil|payments|officials|corridor"
).split("|")

_TEMPLATES = (
    "{person}, the {role}, told reporters in {city} that the {topic} talks with {company} "
    "had moved forward.",
    "According to {person}, {company} signed a {amount} contract covering {topic} deliveries "
    "to {place}.",
    "The {unit} held exercises near {place} on {date}, officials in {city} said.",
    "Russian and Iranian negotiators met in {city} on {date} to discuss {topic} and {w1} "
    "{w2} issues.",
    "{company} said its {w1} shipments through {place} rose by {pct} percent in the quarter.",
    "Analysts in {city} linked the {topic} dispute to the {w1} question and to {w2} prices.",
    "{person} argued that {topic} cooperation with Moscow would outlast the current {w1} "
    "sanctions.",
    "A delegation led by {person} visited {place} to inspect the {topic} {w1} project.",
    "Tehran insisted the {topic} arrangement with {company} complied with the {w1} rules.",
    "The {w1} {w2} agreement, first discussed in {year}, was extended to {place} on {date}.",
    "Customs data showed {amount} of {w1} goods crossing at {place}, a record for {year}.",
    "{person} denied that the {unit} had been moved to {place}.",
    "Moscow offered {company} a {w1} credit line worth {amount} tied to the {topic} corridor.",
    "Iranian media quoted {person} as saying the {w1} {w2} plan was behind schedule.",
    "The central bank in {city} approved {topic} payments in rubles and rials through {company}.",
    "Officials said the {topic} pipeline from {place} would carry {num} thousand barrels a day.",
    "Critics in the Majlis said the {w1} deal with {company} gave Moscow too much {w2} control.",
    "The {unit} and Iranian forces coordinated {w1} drills on {date} near {place}.",
    "{company} expects the {topic} terminal at {place} to open in {year}.",
    "Diplomats described the {w1} {w2} talks in {city} as frank but constructive.",
    "The {topic} memorandum commits both sides to {pct} percent more {w1} trade by {year}.",
    "{person} said Russia would supply {num} {w1} units to {place} under the {topic} accord.",
    "Western officials warned that {company} could face {w1} sanctions over the {topic} shipments.",
    "In {year} the two governments first tested the {w1} corridor through {place}.",
)


@dataclass(frozen=True, slots=True)
class Brief:
    index: int
    filename: str
    title: str
    published: str  # ISO date
    outlet: str
    sentences: tuple[str, ...]
    paragraph_breaks: tuple[int, ...]  # sentence indices that start a new paragraph
    rare: tuple[str, ...] = ()  # the brief's own rare terms (surnames, names, topic words)

    @property
    def body(self) -> str:
        paragraphs: list[list[str]] = []
        for i, sentence in enumerate(self.sentences):
            if i == 0 or i in self.paragraph_breaks:
                paragraphs.append([])
            paragraphs[-1].append(sentence)
        return "\n\n".join(" ".join(p) for p in paragraphs)

    @property
    def text(self) -> str:
        """Title and body: what the in-memory baselines index."""
        return f"{self.title}\n\n{self.body}"

    def markdown(self) -> bytes:
        """The brief as an uploadable Markdown file with YAML front matter."""
        head = (
            f'---\ntitle: "{self.title}"\ndate: {self.published}\n'
            f'outlet: "{self.outlet}"\ntags: [bench]\n---\n\n# {self.title}\n\n'
        )
        return (head + self.body + "\n").encode()

    def content_hash(self) -> str:
        return hashlib.sha256(self.body.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    gold_index: int  # index of the gold brief
    gold_filename: str
    rare_terms: tuple[str, ...]


class Vocabulary:
    """Name lists and a Zipf-distributed topic vocabulary, all derived from the seed."""

    def __init__(self, seed: int) -> None:
        rnd = random.Random(f"vocab:{seed}")
        self._seen: set[str] = set()
        self.surnames = self._words(rnd, 20_000, 2, 3, capital=True)
        self.cities = self._words(rnd, 400, 2, 3, capital=True)
        self.places = [
            f"{w} {rnd.choice(_PLACE_KINDS)}" for w in self._words(rnd, 12_000, 2, 3, True)
        ]
        self.companies = [
            f"{w} {rnd.choice(_COMPANY_KINDS)}" for w in self._words(rnd, 12_000, 2, 3, True)
        ]
        self.outlets = [f"{w} Review" for w in self._words(rnd, 300, 2, 2, True)]
        # Zipf vocabulary: rank r drawn with weight 1/r^1.07 (the head is everywhere).
        self.topic = self._words(rnd, 40_000, 2, 3, capital=False)
        weights = [1.0 / (r**1.07) for r in range(1, len(self.topic) + 1)]
        self._cum = list(itertools.accumulate(weights))

    def _words(self, rnd: random.Random, n: int, lo: int, hi: int, capital: bool) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            parts = [rnd.choice(_ONSETS) + rnd.choice(_VOWELS) for _ in range(rnd.randint(lo, hi))]
            word = "".join(parts) + rnd.choice(_CODAS)
            if len(word) < 5 or word in self._seen:
                continue
            self._seen.add(word)
            out.append(word.capitalize() if capital else word)
        return out

    def zipf(self, rnd: random.Random) -> str:
        x = rnd.random() * self._cum[-1]
        return self.topic[min(bisect.bisect_left(self._cum, x), len(self.topic) - 1)]

    def rare_topic(self, rnd: random.Random) -> str:
        """A word from the long tail (rank ≥ 3000): the brief's own rare term."""
        return self.topic[rnd.randrange(3000, len(self.topic))]


@lru_cache(maxsize=4)
def vocabulary(seed: int) -> Vocabulary:
    return Vocabulary(seed)


def generate_brief(seed: int, index: int) -> Brief:
    vocab = vocabulary(seed)
    rnd = random.Random(f"brief:{seed}:{index}")
    people = [
        (f"{rnd.choice(_FIRST_NAMES)} {rnd.choice(vocab.surnames)}", rnd.choice(_ROLES))
        for _ in range(2)
    ]
    places = [rnd.choice(vocab.places) for _ in range(2)]
    companies = [rnd.choice(vocab.companies) for _ in range(2)]
    topics = [vocab.rare_topic(rnd) for _ in range(3)]
    city = rnd.choice(vocab.cities)
    unit = f"{rnd.choice(_ORDINALS)} {rnd.choice(vocab.surnames)} {rnd.choice(_UNIT_KINDS)}"
    published = EPOCH + dt.timedelta(days=rnd.randrange(SPAN_DAYS))
    sentences: list[str] = []
    order = list(range(len(_TEMPLATES)))
    rnd.shuffle(order)
    for k in range(SENTENCES_PER_BRIEF):
        template = _TEMPLATES[order[k % len(order)]]
        person, role = people[k % 2] if rnd.random() < 0.8 else (rnd.choice(vocab.surnames), "")
        day = published - dt.timedelta(days=rnd.randrange(0, 90))
        sentence = template.format(
            person=person,
            role=role or "spokesman",
            city=city,
            company=companies[k % 2] if rnd.random() < 0.8 else rnd.choice(vocab.companies),
            place=places[k % 2] if rnd.random() < 0.8 else rnd.choice(vocab.places),
            topic=topics[k % 3] if rnd.random() < 0.7 else vocab.zipf(rnd),
            unit=unit,
            w1=vocab.zipf(rnd),
            w2=vocab.zipf(rnd),
            amount=f"${rnd.randrange(2, 900)} million",
            pct=rnd.randrange(2, 60),
            num=rnd.randrange(3, 500),
            year=rnd.randrange(2015, 2025),
            date=day.strftime("%d %B %Y").lstrip("0"),
        )
        sentences.append(sentence[0].upper() + sentence[1:])
    breaks = tuple(range(4, SENTENCES_PER_BRIEF, 4))
    title = f"{companies[0]} and the {topics[0]} talks in {places[0].split()[0]}"
    return Brief(
        index=index,
        filename=f"bench-{index:06d}.md",
        title=title,
        published=published.isoformat(),
        outlet=rnd.choice(vocab.outlets),
        sentences=tuple(sentences),
        paragraph_breaks=breaks,
        rare=(
            people[0][0].split()[1],
            people[1][0].split()[1],
            companies[0].split()[0],
            companies[1].split()[0],
            places[0].split()[0],
            topics[0],
            topics[1],
        ),
    )


def generate_corpus(seed: int, n: int) -> Iterator[Brief]:
    for i in range(n):
        yield generate_brief(seed, i)


def passages_of(brief: Brief) -> list[tuple[int, str, int, int]]:
    """(ordinal, text, start, end) like `briefs.passages.make_passages`, from known spans."""
    body = brief.body
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in brief.sentences:
        start = body.index(sentence, cursor)
        spans.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    out: list[tuple[int, str, int, int]] = []
    i = 0
    while i < len(spans):
        j = i + 1
        while (
            j < len(spans)
            and j - i < PASSAGE_SENTENCES
            and spans[j][1] - spans[i][0] <= PASSAGE_MAX_CHARS
        ):
            j += 1
        start, end = spans[i][0], spans[j - 1][1]
        out.append((len(out), body[start:end], start, end))
        if j >= len(spans):
            break
        i = j - 1 if j - i > 1 else j
    return out


_QUESTION_FRAMES = (
    "What did {a} say about {b} and {c}?",
    "Why are {c} officials discussing {a} with {b}?",
    "How is {a} involved in the {b} {c} talks?",
    "What happened between {a} and {b} over {c}?",
    "What is known about {a}, {b} and {c}?",
    "Did {a} and {b} affect {c} relations?",
)


def questions_for(seed: int, n: int, count: int = 200) -> list[Question]:
    """`count` questions about distinct gold briefs among the first `n`."""
    rnd = random.Random(f"questions:{seed}:{n}")
    golds = rnd.sample(range(n), min(count, n))
    questions = []
    for qno, gold in enumerate(golds):
        brief = generate_brief(seed, gold)
        text = brief.text
        rare = list(dict.fromkeys(t for t in brief.rare if t in text))
        rnd.shuffle(rare)
        picked = rare[: 2 if rnd.random() < 0.6 else 3]
        common = rnd.choice(_COMMON_Q)
        a = picked[0]
        b = " ".join(picked[1:]) if len(picked) > 1 else rnd.choice(_COMMON_Q)
        frame = rnd.choice(_QUESTION_FRAMES)
        questions.append(
            Question(
                id=f"q{qno:03d}",
                text=frame.format(a=a, b=b, c=common),
                gold_index=gold,
                gold_filename=brief.filename,
                rare_terms=tuple(picked),
            )
        )
    return questions


def cached_corpus(seed: int, n: int, cache_dir: Path = CACHE_DIR) -> Path:
    """Path of the corpus as gzipped JSON lines (built on first use)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"corpus-v{GENERATOR_VERSION}-s{seed}-{n}.jsonl.gz"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=3) as fh:
        for brief in generate_corpus(seed, n):
            fh.write(json.dumps(asdict(brief)) + "\n")
    tmp.replace(path)
    return path


def load_corpus(path: Path) -> Iterator[Brief]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            row["sentences"] = tuple(row["sentences"])
            row["paragraph_breaks"] = tuple(row["paragraph_breaks"])
            row["rare"] = tuple(row["rare"])
            yield Brief(**row)
