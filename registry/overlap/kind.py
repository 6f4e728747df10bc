"""What an offer's data *is*, read from its words: the kind of content and the seller's signals.

A shared word is not a match: "reviews of our hotels" and "essays of The Public Domain Review"
share one. A match needs agreement on what the data is, so the modality a description implies
(speech, images, video, source code, or text) is read from its words, and an entry of another
modality is discounted (score.py). A link in a description to the paper's GitHub repository
does not make a speech corpus a code dataset, so "language code" and similar phrases are not
code.

The seller's own signals ("our own", "internal", "proprietary", "unpublished", "all rights
reserved", ...) say that the data is theirs, not a copy of something public: the same topic in
the commons is then related data a buyer could use instead, not the same data (verdict.py).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from registry.overlap.hosts import PROJECT_HOSTS, hosts_in_text, normalise
from registry.overlap.mentions import without_mentions
from registry.overlap.text import stem

# Stemmed words (text.stem) that say which modality the content is. A description usually
# names its kind several times; the modality named most wins, and "text" is what is left.
MODALITY_WORDS: dict[str, tuple[str, ...]] = {
    "audio": (
        "speech",
        "audio",
        "recording",
        "spoken",
        "voice",
        "podcast",
        "asr",
        "utterance",
        "audiobook",
        "wav",
        "mp3",
        "flac",
        "acoustic",
        "speaker",
        "sound",
        "music",
        "song",
    ),
    "image": (
        "image",
        "photo",
        "photograph",
        "picture",
        "imagery",
        "jpeg",
        "jpg",
        "png",
        "pixel",
        "painting",
        "scan",
        "handwriting",
    ),
    "video": ("video", "footage", "film", "movie", "clip"),
    "code": (
        "code",
        "programming",
        "snippet",
        "function",
        "commit",
        "python",
        "java",
        "javascript",
        "compiler",
        "developer",
    ),
}
# Phrases counted for a modality (before stemming, lowercase).
MODALITY_PHRASES: dict[str, tuple[str, ...]] = {
    "code": ("source code", "code files", "code snippets", "programming languages"),
}
# Phrases whose words would otherwise count for the wrong modality.
NOT_MODALITY = re.compile(
    r"language codes?|country codes?|iso 639|code of conduct|codes? for (?:collecting|processing)"
    r"|code (?:is|are) available|\bthe code\b|(?:download(?:ing)?|processing|collection"
    r"|scraping|preparation) code|(?:this|the following|an? example|sample) code snippets?"
    r"|source of|sound(?:s|ly)? (?:like|good|reasoning)"
    r"|voice of|scan(?:ned)? (?:books?|pages?|documents?|newspapers?)"
    r"|parts?[- ]of[- ]speech",
    re.IGNORECASE,
)
# Fewer hits than this and the description names no other kind than text; a description
# this long that names none is about text.
MODALITY_MIN_HITS = 1
MIN_WORDS_FOR_TEXT = 12

SIGNALS = re.compile(
    r"\b(?:our (?:[\w-]+(?:'s)? )?own|our (?:internal|proprietary|private|in-house)"
    r"|internal(?: use| documentation| data| records| logs)?|proprietary|in-house|confidential"
    r"|unpublished|never (?:been )?published|not (?:publicly )?(?:released|available|published)"
    r"|all rights reserved|prohibits? [^.]{0,40}releas\w*|private(?:ly held)?"
    r"|purchase the dataset|commercial licens\w+"
    r"|(?:we|our team) (?:collected|recorded|wrote|photographed|annotated|gathered)"
    r"|our (?:\d[\d,]* )?(?:[\w-]+ ){0,2}(?:customers|users|clients|members|hotels|stores|shops"
    r"|booking site|website|app|platform|company|employees|staff|patients|students|agency"
    r"|museum|newsroom|station|hospital|clinic|firm|lab|studio|band|school))\b",
    re.IGNORECASE,
)


# Words saying the offer is new content made from commons data (annotations, generated text,
# questions written about it): the source is in the commons, what was added is not.
DERIVED = re.compile(
    r"\b(?:(?:are|is|were|was) generated (?:using|by|with|from)"
    r"|(?:ai|machine|model|llm|gpt)[- ]generated|synthetic(?:ally generated)?|we synthesi[sz]ed?"
    # Text a language model made ("synthesized using GPT-4o", "created using ChatGPT prompt
    # engineering", "generated using the Llama-4-Maverick model"): a verb of making, its tool a
    # language model (by family name, as people name them); an embedding model's vectors encode
    # the source's own text ("embeddings generated using Qwen/Qwen3-Embedding-8B").
    r"|(?:generated|synthesi[sz]ed|created|produced|written|made) (?:[\w-]+ )?"
    r"(?:by|using|with|via) (?:the |an? )?(?:gpt|chatgpt|llms?|large language models?|claude"
    r"|llama|gemini|gemma|mistral|qwen|deepseek|(?:language )?models?)(?![\w./-]*embed)"
    r"|translated (?:[\w-]+ ){0,6}?by (?:the )?(?:gpt|chatgpt|llms?|claude|llama|gemini|gemma"
    r"|mistral|qwen|deepseek|(?:language )?models?)|derived by translating"
    r"|mock conversations|human-written|annotated by"
    r"|annotations? (?:by|from|of)"
    # Questions written about commons text are new text; pairs taken from a Q&A site are not.
    r"|question[-/ ]answers?(?: \(qa\))? pairs(?! (?:extracted|obtained|scraped|collected|taken) )"
    r"|\d[\d,.]* (?:[\w-]+ ){0,2}questions (?:on|about|over)|question answering over"
    r"|reading comprehension (?:dataset|benchmark)|pairs of (?:a )?questions? and"
    r"|(?:pairs|questions|answers|dialogues|conversations|responses|instructions)"
    r" generated (?:from|by|using|with)"
    r"|by (?:trained |expert )?(?:human )?(?:annotators|crowd ?workers|human workers)"
    r"|(?:each|all) (?:[\w-]+ ){0,2}(?:is|are) annotated (?:with|on)"
    r"|manual annotations?|annotations? on top of|error annotations?"
    # A model's translation is new text in another language (a person's may be the commons'
    # own parallel data, as in Europarl).
    r"|machine[- ]translated|auto[- ]translated|translated (?:[\w-]+ ){0,4}(?:using|with) "
    r"|translations?,? (?:which |that )?(?:(?:has|have|was|were|is|are) )?(?:been )?"
    r"(?:obtained|produced|generated|made|created) (?:using|with) "
    r"|(?:use|used|using) (?:[\w-]+ ){1,3}(?:\([^)]*\) )?for (?:the )?translation"
    # People's work over the commons text: the labels, dialogues or recordings are the data.
    r"|human[- ]annotat\w+|(?:manually|hand)[- ](?:annotated|labell?ed|constructed)"
    r"|(?:annotated|labell?ed) for|we constructed|(?:were|was) (?:then )?recorded by"
    r"|(?:is )?a generated dataset"
    r"|sentiment (?:dataset|labels?|annotations?)|new recordings)\b",
    re.IGNORECASE,
)


def derived_signals(text: str) -> list[str]:
    """Words saying the data is new content made from commons data, once each."""
    found: list[str] = []
    for match in DERIVED.finditer(text):
        words = " ".join(match.group().split())
        if words.casefold() not in (f.casefold() for f in found):
            found.append(words)
    return found


# Language names that are also ordinary English words (or too short to trust).
NOT_LANGUAGE_NAMES = frozenset({"afar", "ewe", "ido", "cree", "twi", "ga", "lao", "kirghiz"})
EXTRA_LANGUAGE_NAMES = {"greek": "el", "flemish": "nl", "filipino": "tl", "farsi": "fa"}
CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")


@lru_cache(maxsize=1)
def language_names() -> dict[str, str]:
    """English names of the ISO 639-1 languages (one word each), lowercase → code.

    Read from pycountry's own ISO 639-3 table as plain JSON: `pycountry.languages` makes an
    object of each of its 7,900 rows first, a third of a second of `commons overlap`'s start."""
    import json
    from importlib.util import find_spec

    folder = Path(find_spec("pycountry").origin).parent
    table = json.loads((folder / "databases" / "iso639-3.json").read_text(encoding="utf-8"))
    names = dict(EXTRA_LANGUAGE_NAMES)
    for language in table["639-3"]:
        name = language["name"].split(";")[0].split(" (")[0].lower()
        code = language.get("alpha_2")
        if code and " " not in name and name not in NOT_LANGUAGE_NAMES:
            names.setdefault(name, code)
    return names


def languages_of(text: str) -> list[str]:
    """Codes of the languages a description names ("Danish", "Armenian"), in order, once each."""
    names = language_names()
    found = [names[w.lower()] for w in CAPITALISED.findall(text) if w.lower() in names]
    return list(dict.fromkeys(found))


def modality_of(text: str) -> str | None:
    """The modality the description's words name most, or None when they name none clearly."""
    cleaned = NOT_MODALITY.sub(" ", text.casefold())
    counts: Counter = Counter()
    words = [stem(w) for w in re.findall(r"[^\W_]+", cleaned)]
    for modality, names in MODALITY_WORDS.items():
        counts[modality] += sum(1 for w in words if w in names)
    for modality, phrases in MODALITY_PHRASES.items():
        counts[modality] += 2 * sum(cleaned.count(p) for p in phrases)
    (best, hits), *rest = counts.most_common()
    if hits < MODALITY_MIN_HITS:
        return "text" if len(words) >= MIN_WORDS_FOR_TEXT else None
    if rest and rest[0][1] == hits:
        return None
    return best


def seller_signals(text: str) -> list[str]:
    """The seller's own words that say the data is theirs and not published, once each."""
    found: list[str] = []
    for match in SIGNALS.finditer(text):
        words = " ".join(match.group().split()).strip()
        if words.casefold() not in (f.casefold() for f in found):
            found.append(words)
    return found


URL = re.compile(r"\bhttps?://([^\s/?#<>\"')\]]+)", re.IGNORECASE)
# A link, or the address of one repository on a project host written without its scheme
# ("github.com/allenai/dolma"): both say where to read more or get the code, not the content.
LINK = re.compile(
    r"\bhttps?://[^\s<>\"')\]]+|(?<![\w.-])(?:www\.)?(?:"
    + "|".join(re.escape(h) for h in sorted(PROJECT_HOSTS))
    + r")/[\w.-]+/[^\s<>\"')\]]*",
    re.IGNORECASE,
)


# A link to a paper (its arXiv abstract or PDF, its DOI) cites the paper that describes the data:
# where to read about it, not where its content comes from.
PAPER = re.compile(
    r"https?://(?:www\.)?(?:(?:export\.)?arxiv\.org/(?:abs|pdf|html)/|(?:dx\.)?doi\.org/"
    r"|aclanthology\.org/|openreview\.net/(?:forum|pdf))",
    re.IGNORECASE,
)


# Where the paper or the code is ("📝 Paper@arXiv | 🐱 Code@GitHub", "the paper on arXiv"): a
# citation, like a link to it.
PAPER_AT = re.compile(
    r"\b(?:papers?|code)\s*@\s*[\w.-]+|\b(?:our|the|this) paper (?:is )?(?:on|at|in) [\w.-]+",
    re.IGNORECASE,
)
# Up to three words and a colon right before a link ("arXiv: https://arxiv.org/pdf/...", "Arxiv
# Paper: https://...", "Github: https://...") are the link's label, read like the link.
LINK_LABEL = re.compile(r"(?<![\w-])(?:[\w-]+[ \t]+){0,2}[\w-]+[ \t]*:[ \t]*(?=https?://)")


def without_links(text: str) -> str:
    """The text with its links and paper citations blanked: a name read only inside a link (a
    page a record cites, the paper's address) or saying where the paper is, is where to read
    more, not the description naming its data. Citations of the paper (a BibTeX entry, an arXiv
    identifier, "📖 arXiv") and datasets named as a yardstick ("smaller than ImageNet") are blanked
    too: mentions.py."""
    return without_mentions(PAPER_AT.sub(" ", LINK.sub(" ", LINK_LABEL.sub(" ", text))))


def linked_hosts(text: str) -> list[str]:
    """Hosts that appear only inside links: where to read more, not where the data comes from."""
    linked = {normalise(link) for link in LINK.findall(text) if not PAPER.match(link)}
    bare = set(hosts_in_text(without_links(text)))
    return sorted(linked - bare)
