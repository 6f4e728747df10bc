"""Whether a description says its data *is* a commons source's content, not only that it names it.

"High" tells a seller their data is already free, so it needs positive evidence of sameness: the
description says the data is the matched source's content (a copy, dump, subset, slice, or a
filtered, cleaned, re-segmented, reformatted, tokenised or embedded version of it). A card that
names Wikipedia as the reference of its dialogues, cites its paper on arXiv, or scores Wikipedia
articles names the source without saying its data is it.

The evidence is structural, read where the description writes the source (its catalog name, its
site's name, or its host): the source is where the data comes from ("articles from Wikipedia",
"a subset of the Common Voice dataset", "Source: Hindi Wikipedia", "the Danish subsection of
Europarl"), or it qualifies what the data is ("Uzbek Wikipedia articles", "The Pile -- USPTO",
"Common Voice 21.0", "Wikipedia dump"), the content word attached to the name, not after a verb
("Wikidata using questions" says nothing of Wikidata's content) and the head of its phrase
("Wikipedia article ratings" are ratings). A word of origin alone ("derived from", "based on",
"from") says where something was made from: it counts only after a noun of the source's own
content or of a part or version of it ("preprints from arXiv", "a subset of"), not after new
content ("math problems ... derived from arXiv preprints"). The article, date or language
between those words and the name says which edition ("a cleaned dump of the June 2020 Romanian
Wikipedia") and is read past. A name that qualifies a paper
("arXiv Paper") or stands in a sentence about a paper says where the paper is. Without such
words, a source named and matched well is related data a buyer could use instead: "medium" at
most (verdict.py). A close paraphrase of the
entry's own description, agreeing on every declared or read facet, identifies it too (STRONG_TEXT),
when the words it shares tell what the data is, not only how it is annotated ("bounding boxes").
A publisher's initials among an entry's names ("Landsat archive (USGS)") name the publisher, not
its dataset ("images from the USGS National Map").
A name read inside another dataset's name is that dataset's (other_names.py): qualified by a
country the entry's own name and summary contradict ("the filtered Canadian Hansard Dataset" for
the UK Parliament's Hansard), joined to an acronym the description also writes alone ("the MAPA
EUR-LEX dataset"), by a hyphen to another capitalised word ("ImageNet-Sketch"), or standing inside
a longer name given its own acronym ("the Parallel Wikipedia Simplification (PWKP) corpus"). "In
the Wikipedia domain" names a subject.
"""

from __future__ import annotations

import re

from registry.overlap.hosts import PROJECT_HOSTS
from registry.overlap.kind import MODALITY_WORDS, language_names, linked_hosts, without_links
from registry.overlap.other_names import (
    another_s_names,
    inside_defined_name,
    joins_another_name,
)

# The words before a source that say the data is a part or a version of it ("a subset of",
# "extracted from", "a filtered copy of"), among the last BEFORE_WORDS words of the same sentence.
ORIGIN = frozenset(
    """source sources sourced extracted taken sampled selected drawn collected crawled scraped
    downloaded mirrored filtered cleaned deduplicated tokenized tokenised encoded embedded
    processed preprocessed converted reformatted segmented obtained fetched pulled scrapped
    refined forked entirety gathered""".split()
)
# Words of origin alone ("from", "based on", "built from", "derived from") say where something
# was made from, not that the data is the source's content: they count only after a noun of the
# source's own content or of a part or version of it ("articles from", "a subset of", "text
# derived from"); "segmentations derived from", "questions based on", "in conjunction with" do not.
WEAK_ORIGIN = frozenset("from of in within based built upon derived".split())
PART = frozenset(
    """version versions copy copies mirror slice slices sample samples selection portion part
    parts subset subsets subsection split dump dumps edition extract excerpts content preprints
    publications literature tables records sequences speech titles variant variants category
    categories""".split()
)
# The words after a source that make it what the data is ("Wikipedia articles", "Common Voice
# dataset", "Stack Overflow questions"), within the first AFTER_WORDS words of the same sentence;
# a release number right after the name counts too (NUMBER).
CONTENT = frozenset(
    """data dataset datasets corpus corpora dump dumps article articles pages text texts
    abstracts papers posts comments threads recordings clips audio subset split edition snapshot
    archive sentences documents books images photos code files questions answers collection
    database entries subsection part portion release""".split()
)
# New content made over a source ("24K questions over paragraphs from Wikipedia", "quality scores
# for Wikipedia articles"): when the sentence names one of these before the source, the source is
# where that content was written about, not the data (derived signals: kind.DERIVED).
MADE_OVER = frozenset(
    """question questions answer answers qa dialogue dialogues conversations score scores ratings
    judgements judgments summaries translations annotations prompts instructions
    preferences""".split()
)
BEFORE_WORDS, AFTER_WORDS, CLAUSE_WORDS = 4, 3, 10
# Words that only say which edition or language of the source ("a cleaned dump of the June 2020
# Romanian Wikipedia"): read past, they do not use up the words before the name (MODIFIERS_MAX).
EDITION_WORDS = frozenset(
    """the a an its their january february march april may june july august september october
    november december latest recent current full entire""".split()
)
MODIFIERS_MAX = 4
# Words that end the phrase a name qualifies: in "Wikidata using questions" the questions are not
# Wikidata's content, in "Wikipedia articles" the articles are.
LINKING = frozenset(
    "using with for to by on at about over via as into through is are was were has have".split()
)
# A sentence whose subject is a paper speaks of the paper ("Our IPBench paper (...) can be
# accessed in arXiv"): its words of origin say where the paper is, not where the data comes from.
PAPER_SUBJECT = re.compile(
    r"^\W*(?:\[[^\]]*\]\s*)?(?:the|our|this|its|their)\s+(?:[\w-]+\s+){0,2}paper\b",
    re.IGNORECASE,
)
# Words a quoted phrase does not end on ("articles from the" reads as cut off): the verdict quotes
# the words that say sameness, not a window of fixed width.
DANGLING = frozenset("a an and at by for from in of on or the to with".split())
# The mentions of a source read at most: a description names its source a few times.
MAX_MENTIONS = 50
# A release number right after the name and a space ("Common Voice 21.0", "Common Voice v17"); a
# paper's identifier after an address ("arxiv.org/abs/2212.05409") is not one.
NUMBER = re.compile(r"\s+v?\d+(?:\.\d+)*\b")
WORD = re.compile(r"[^\W_]+")
# A link's scheme, so that "from: https://openstax.org" reads "from: openstax.org".
LINK_SCHEME = re.compile(r"https?://(?:www\.)?", re.IGNORECASE)
# A Markdown link or image whose address kind.without_links blanked: "[Europarl]()".
BLANKED_LINK = re.compile(r"!?\[([^\[\]]*)\]\(\s*\)")
# Where a sentence or a clause of a list ends: the words on the other side say nothing of the name.
BOUNDARY = re.compile(r"[.!?;|\n](?:\s|$)|\s[–—-]{1,2}\s|[\u2600-\u27bf\U0001f300-\U0001faff]")
# An organisation as a summary writes it: capitalised words and initials, with "of", "for" and
# "and" between them ("U.S. Geological Survey", "National Library of Medicine").
ORGANISATION = re.compile(
    r"(?:[A-Z][\w.]*\.?\s+)(?:(?:of|for|and|the)\s+|[A-Z][\w.]*\.?\s*)*[A-Z][\w]*"
)
INITIAL_WORD = re.compile(r"[A-Z](?:\.(?=[A-Z]))?|[A-Za-z][\w]*")
# The vocabulary of annotation and of tasks: what any labelled set of its kind says ("bounding
# boxes", "segmentation labels", "coreference"), never which data it labels.
ANNOTATION_WORDS = frozenset(
    """annotation annotations annotated annotate bounding box boxes segmentation segmentations
    segmented mask masks label labels labeled labelled labeling labelling keypoint keypoints
    landmark landmarks caption captions captioning classification detection recognition
    coreference tag tags tagged tagging class classes category categories benchmark evaluation
    attribute attributes""".split()
)
# Words that say only the kind of content ("image", "speech", "imagery": kind.MODALITY_WORDS).
KIND_WORDS = frozenset(word for words in MODALITY_WORDS.values() for word in words)
# Words after a name that make it a subject area ("translated sentences in the Wikipedia domain"):
# what the data is about, not where it comes from.
TOPIC = frozenset("domain domains genre genres".split())
# The shared terms read (text.shared_terms: the strongest first).
PARAPHRASE_TERMS = 15
# A close paraphrase of a curated entry's own description (three quarters of the way to the
# cosine of a paraphrase, evidence.TEXT_FULL), no facet differing: identified without a name (a
# card the entry was written from, a seller describing the data in the entry's terms).
STRONG_TEXT = 0.75


def _key(name: str) -> str:
    return "".join(WORD.findall(name.casefold()))


def _words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


def says_same(text: str, names: list[str], origin_only: bool = False) -> str | None:
    """The words that say the data is the named source's content ("articles from Wikipedia"), or
    None when the description names the source only in other roles. With `origin_only`, only
    words of origin before the name count (a project host: "GitHub Code" labels a link)."""
    keys = {_key(n) for n in names if _key(n)}
    if not keys:
        return None
    tokens = list(WORD.finditer(text))
    lowered = [t.group().casefold() for t in tokens]
    looked = 0
    for start in range(len(tokens)):
        for length in range(1, 7):
            if start + length > len(tokens):
                break
            if "".join(lowered[start : start + length]) not in keys:
                continue
            first, last = tokens[start], tokens[start + length - 1]
            if found := _around(text, first.start(), last.end(), origin_only):
                return found
            looked += 1
            if looked >= MAX_MENTIONS:  # a text repeating a name says nothing more
                return None
    return None


def _around(text: str, start: int, end: int, origin_only: bool = False) -> str | None:
    """The name at text[start:end] with the origin or content words beside it, or None."""
    clause = BOUNDARY.split(text[max(0, start - 160) : start])[-1]
    if any(w in MADE_OVER for w in _words(clause)[-CLAUSE_WORDS:]):
        return None
    if PAPER_SUBJECT.match(clause):
        return None
    words_before = _words(clause)
    skipped = len(words_before) - len(_without_modifiers(words_before))
    before = clause.split()[-(BEFORE_WORDS + skipped) :]
    after = BOUNDARY.split(text[end : end + 60])[0]
    ahead = _attached(_words(after))[:AFTER_WORDS]
    if ahead[:1] == ["paper"]:  # "arXiv Paper": the name qualifies a paper, not data
        return None
    if ahead[:1] and ahead[0] in TOPIC:  # "sentences in the Wikipedia domain": a subject
        return None
    if joins_another_name(text[end:], CONTENT | PART):  # "ImageNet-Sketch": another's name
        return None
    if inside_defined_name(text, start, end):  # "the Parallel Wikipedia Simplification (PWKP)"
        return None
    versioned = NUMBER.match(after) is not None
    if origin_only:
        versioned, ahead = False, []
    if versioned or _qualifies(ahead) or _comes_from(words_before):
        tail = after.split()[:AFTER_WORDS]
        while tail and tail[-1].casefold() in DANGLING:
            tail.pop()
        return " ".join(before + [text[start:end]] + tail)
    return None


def _qualifies(ahead: list[str]) -> bool:
    """The name qualifies the source's own content ("Wikipedia articles"), not new content made
    about it: the head of the phrase is its last word ("Wikipedia article ratings" are ratings)."""
    heads = [w for w in ahead if w in CONTENT or w in MADE_OVER]
    return bool(heads) and heads[-1] in CONTENT


def _comes_from(words: list[str]) -> bool:
    """The words before the name say the data is the source's content or a part of it: a word of
    sameness ("extracted", "a filtered", "Source:"), or a word of origin right after a noun of
    content or of a part ("articles from", "a subset of", "text derived from")."""
    words = _without_modifiers(words)
    last = words[-BEFORE_WORDS:]
    if any(w in ORIGIN for w in last):
        return True
    start = len(words) - len(last)
    for position in range(start, len(words)):
        if words[position] not in WEAK_ORIGIN:
            continue
        head = position - 1
        while head >= 0 and words[head] in WEAK_ORIGIN:  # "derived from", "based on"
            head -= 1
        if head >= 0 and (words[head] in CONTENT or words[head] in PART):
            return True
    return False


def _without_modifiers(words: list[str]) -> list[str]:
    """The words before a name without the article, date or language that qualify it ("of the
    June 2020 Romanian" reads "of"): which edition of the source, not what the data is."""
    languages = language_names()
    end = len(words)
    while end > 0 and len(words) - end < MODIFIERS_MAX:
        word = words[end - 1]
        if not (word in EDITION_WORDS or word.isdigit() or word in languages):
            break
        end -= 1
    return words[:end]


def _attached(words: list[str]) -> list[str]:
    """The words after a name up to the first that links it to something else (LINKING)."""
    for position, word in enumerate(words):
        if word in LINKING:
            return words[:position]
    return words


def source_names(index, offer, text: str, entry_ids: set[str]) -> tuple[list[str], list[str]]:
    """How the description `text` (links and citations blanked: kind.without_links) writes these
    entries' sources: their catalog names, their sites' names and their hosts; then the names of
    project hosts (GitHub, Hugging Face), which count only as where the data comes from."""
    names = [
        phrase
        for e, phrase in index.names.named_in(text).items()
        if e in entry_ids and not names_publisher(phrase, _summary(index, e))
    ]
    site_names = index.hosts.named_in(text)
    projects = []
    for host in dict.fromkeys([*site_names, *offer.hosts()]):
        if entry_ids & set(index.hosts.lookup([host])):
            written = [host] + [n for h, n in site_names.items() if h == host]
            (projects if host in PROJECT_HOSTS else names).extend(written)
    return names, projects


def names_publisher(phrase: str, summary: str) -> bool:
    """The name is the initials of the organisation that makes the data available ("USGS" in
    "Landsat archive (USGS)", whose summary says "distributed free by the U.S. Geological
    Survey"): a publisher named is not its dataset named ("images from the USGS National Map")."""
    letters = phrase.replace(" ", "")
    if not (2 <= len(letters) <= 6 and letters.isalpha()):
        return False
    for run in ORGANISATION.findall(summary):
        initials = "".join(w[0] for w in INITIAL_WORD.findall(run) if w[0].isupper())
        if initials.casefold() == letters:
            return True
    return False


def _summary(index, entry_id: str) -> str:
    row = index.position.get(entry_id)
    if row is None:
        return ""
    index.entries.load({row})
    return index.entries[row].summary or ""


def linked_source(index, offer, entry_ids: set[str]) -> str | None:
    """A link to the source's site (not to a paper) given as where the data comes from ("Data
    originated from: https://openstax.org", "Data source: https://arxiv.org/")."""
    hosts = [h for h in linked_hosts(offer.text) if entry_ids & set(index.hosts.lookup([h]))]
    return says_same(LINK_SCHEME.sub(" ", offer.text), hosts) if hosts else None


def sameness(index, offer, match: dict) -> str | None:
    """Why the top match is the same data, in words, or None: the description says the data is
    the source's content, declares its site in an offer file, or paraphrases the entry's own
    description closely on a curated entry, no facet differing."""
    entry_ids = {match["entry"].id} | {step["id"] for step in match["components"]["lineage"]["via"]}
    text = without_links(offer.text)
    declared = [
        h
        for h in offer.source_domains
        if h not in text and entry_ids & set(index.hosts.lookup([h]))
    ]
    if declared:
        return f"you declare {declared[0]} as a source of your data"
    names, projects = source_names(index, offer, text, entry_ids)
    kept = [n for n in names if n not in another_s_names(index, text, names, entry_ids)]
    # every name written is another dataset's: a paraphrase of the entry describes that one
    written = "".join(_words(text))
    another = len(kept) < len(names) and not any(_key(n) in written for n in kept)
    names = kept
    found = says_same(text, names) or says_same(text, projects, origin_only=True)
    if found or (found := linked_source(index, offer, entry_ids)):
        return f"your description says '{_as_written(found)}'"
    agree = match["components"].get("agreement")
    if (
        match["entry"].origin == "curated"
        and match["components"]["text"]["score"] >= STRONG_TEXT
        and all(v > 0 for k, v in (agree or {}).items() if k != "score")
        and _telling_words_shared(index, offer.text, match["row"])
        and not another
    ):
        return "your description reads like the entry's own"
    return None


def _telling_words_shared(index, text: str, row: int) -> bool:
    """The paraphrase shares a word that says what the data is about ("sentinel", "librispeech",
    "gazetteer", "congress"), not only words of how data is annotated or what task it serves
    ("bounding boxes", "segmentation labels") and of its kind ("image"): any image set with boxes
    reads so."""
    for term in index.text.shared_terms(text, row, limit=PARAPHRASE_TERMS):
        if term.endswith("(related words)"):
            continue
        if any(w not in ANNOTATION_WORDS and w not in KIND_WORDS for w in term.split()):
            return True
    return False


def _as_written(words: str) -> str:
    """The quoted words with their spacing as a reader writes it: the matched passage comes back
    as words joined by spaces, so a comma or a closing bracket would stand apart ("Wikipedia ,"),
    and a Markdown link, its address blanked, would read "[Europarl]()": its label is kept. A
    comma or colon the passage ends on is dropped: the quote ends where the words do."""
    spaced = re.sub(r"([(\[]) | (?=[,.;:!?)\]])", r"\1", " ".join(words.split()))
    return BLANKED_LINK.sub(r"\1", spaced).rstrip(",;:")
