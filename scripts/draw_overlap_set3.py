"""Draw the third to eighth sets of overlap evaluation cases
(tests/eval/overlap/README.md, "Third set" to "Eighth set").

Every text is one no earlier set quotes, taken by a rule fixed before any was read:
- the Common Pile cards (DFM copies) and Danish Dynaword / DFM datasheets not quoted before,
  all of them;
- positives: the OTDI cards whose description names a source the curated catalog lists
  (`COMMONS_SOURCE_NAMES`), ordered by sha256("<salt>:<address>"), the first 210 (`STAGES`);
- the plain draw: the OTDI cards in the same order, the first 200 not drawn as positives
  before it (most OTDI cards are of data no curated entry holds, so most are negatives).
An OTDI card needs a description of MIN_CHARACTERS or more, and a text that no earlier case
and no card drawn before it already has (identical cards under other addresses are skipped).
The salt was drawn at random before the draw; the split uses it too (`SETS["3"]`).

The fourth set is drawn by the same rules with its own salt (`SETS["4"]`, drawn at random
before its draw) and its own sizes (`DRAWS["4"]`), from the texts no case of the first three
sets quotes; it is held-out only. The fifth set is drawn the same way (`SETS["5"]`,
`DRAWS["5"]`) from the texts no case of the first four sets quotes; it is held-out only too. The
sixth set (`SETS["6"]`, `DRAWS["6"]`) is drawn the same way from the texts no case of the first
five sets quotes, held-out only as well, the seventh (`SETS["7"]`, `DRAWS["7"]`) from the texts
no case of the first six sets quotes, and the eighth (`SETS["8"]`, `DRAWS["8"]`) from the texts no
case of the first seven sets quotes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from draw_overlap_cases import all_otdi_cards, order, tidy, used_cases  # noqa: E402
from overlap_cases import SETS  # noqa: E402

SALT = SETS["3"][0]
# The draws in the order they were made: the first two were labelled, then the positive pool
# was drawn further (its next 80 cards in the same order) because its first 130 held too few
# same-data cases for the held-out half; every drawn card is kept or counted as left out.
STAGES = (("positive-pool", 130), ("plain-draw", 200), ("positive-pool", 80))
# Each set drawn by these rules: its draws in order, and the earlier sets whose texts it skips.
DRAWS = {
    "3": (STAGES, ("1", "2")),
    "4": ((("positive-pool", 150), ("plain-draw", 65), ("positive-pool", 60)), ("1", "2", "3")),
    "5": (
        (("positive-pool", 200), ("plain-draw", 100), ("positive-pool", 60), ("positive-pool", 80)),
        ("1", "2", "3", "4"),
    ),
    # The sixth set's first two stages held too few cases of every kind (README.md there), so the
    # pool's next 100 cards and the plain draw's next 40 were drawn and labelled after them.
    "6": (
        (("positive-pool", 200), ("plain-draw", 100), ("positive-pool", 100), ("plain-draw", 40)),
        ("1", "2", "3", "4", "5"),
    ),
    # The seventh set's first two stages held too few cases of every kind, so the pool's next 150
    # cards and the plain draw's next 40 were drawn and labelled after them; those held too few
    # related-not-same cases, so the pool's next 130 were drawn and labelled; after every label was
    # read again against the cards' whole texts the set still held fewer than 30 related-not-same
    # cases, so the pool's next 100 were drawn and labelled last (README.md there).
    "7": (
        (
            ("positive-pool", 200),
            ("plain-draw", 100),
            ("positive-pool", 150),
            ("plain-draw", 40),
            ("positive-pool", 130),
            ("positive-pool", 100),
        ),
        ("1", "2", "3", "4", "5", "6"),
    ),
    # The eighth set's pool is used up: after its first 200 cards the third stage takes every pool
    # card left (147); the plain draw's 150 and then 300 more cards were drawn for negatives and for
    # the few related-not-same cases a plain draw holds (README.md there).
    "8": (
        (
            ("positive-pool", 200),
            ("plain-draw", 100),
            ("positive-pool", 147),
            ("plain-draw", 150),
            ("plain-draw", 300),
        ),
        ("1", "2", "3", "4", "5", "6", "7"),
    ),
}
SITE = "https://github.com/danish-foundation-models/site/blob/{commit}/{path}"
SITE_COMMIT = "baa40e43e09e0be8ed12ded95a34036fa7aa7b70"
DATASHEETS = "https://github.com/danish-foundation-models/datasheets/blob/{commit}/{path}"
DATASHEETS_COMMIT = "33447f27187b0e87c76363d55667dfb5eed9cc1f"
# Licences of DFM cards whose data is not public: their licence paragraph is quoted too.
NOT_PUBLIC = ("DSK-1", "Written agreement (public models, private data)", "Non-public")
NOT_PUBLIC += ("Verbal agreement",)
# Names of sources the curated catalog lists, as a card would write them (case ignored unless
# marked). A card naming one is in the positive pool, whatever it then says about the data.
COMMONS_SOURCE_NAMES = re.compile(
    r"\b(?:Wikipedia|Wikimedia|Wikisource|Wiktionary|Wikibooks|Wikinews|Wikivoyage|Wikidata"
    r"|WikiText|wikiHow|Gutenberg|LibriVox|LibriSpeech|Common ?Voice|VoxPopuli|People's Speech"
    r"|Common ?Crawl|(?-i:C4)|FineWeb|(?-i:Dolma)|RedPajama|(?-i:The Pile)|OpenWebText"
    r"|Common Pile|Common Corpus|Open License Corpus|arXiv|PubMed|(?-i:PMC)|bioRxiv|medRxiv"
    r"|S2ORC|peS2o|Stack ?Exchange|Stack ?Overflow|(?-i:The Stack)|StarCoder|CodeSearchNet"
    r"|Rosetta Code|Meta Kaggle|Europarl|EUR-Lex|UN Parallel|United Nations Parallel|Tatoeba"
    r"|Hansard|Caselaw|Case Law Access|CourtListener|Federal Register|Pile of Law|LeXFiles"
    r"|KL3M|(?-i:EDGAR)|USPTO|GovInfo|Regulations\.gov|Reddit|Pushshift|BookCorpus"
    r"|Chronicling America|HathiTrust|Internet Archive|archive\.org|Library of Congress"
    r"|Biodiversity Heritage Library|OpenStreetMap|ImageNet|(?-i:COCO)|LAION|Open Images|YFCC"
    r"|Unsplash|Openverse|Free Music Archive|(?-i:FMA)|Freesound|GenBank|UniProt"
    r"|Protein Data Bank|(?-i:GBIF)|Landsat|Sentinel-\d|(?-i:NOAA)|OpenAlex|Crossref|ORCID"
    r"|MusicBrainz|GeoNames|Natural Earth|Smithsonian|Metropolitan Museum|Rijksmuseum"
    r"|Europeana|Gallica|(?-i:DPLA)|Digital Public Library of America|Art Institute of Chicago"
    r"|Cleveland Museum|National Gallery of Art|Open Food Facts|World Bank|Debian"
    r"|Linux kernel|Software Heritage|GH ?Archive|GitHub Archive|OpenStax|LibreTexts"
    r"|Pressbooks|OER ?Commons|Directory of Open Access Books|(?-i:DOAB)|Ubuntu IRC"
    r"|Ubuntu Dialogue|YouTube-Commons|Standard Ebooks|Danish Dynaword|Danish Gigaword"
    r"|Foodista|Python Enhancement Proposal|data\.gov|Public Domain Review|PD12M"
    r"|Institutional Books)\b",
    re.I,
)
PREFIX = {"common-pile-cards": "common-pile-card", "dynaword-datasheets": "dynaword-card"}
COMMENT = re.compile(r"<!--.*?-->", re.S)


def card_excerpt(card: str) -> str:
    """The short description and the paragraphs before the card's statistics; headings in
    between are left out (" […] "); a non-public card's licence paragraph follows."""
    start = card.index("<!-- START-SHORT DESCRIPTION -->")
    body = COMMENT.sub(" ", card[start : card.index("<!-- START-DESC-STATS -->")])
    parts = [" ".join(p.split()) for p in re.split(r"^#.*$", body, flags=re.M)]
    text = tidy(" […] ".join(p for p in parts if p))
    licence = re.search(r"^license_name: *(.+)$", card, re.M)
    if licence and licence.group(1).strip() in NOT_PUBLIC:
        section = card.split("## License Information", 1)[1]
        paragraph = re.split(r"^#", section.strip(), maxsplit=1, flags=re.M)[0]
        text += " […] " + tidy(paragraph)
    return text


def card_cases(folder: Path, pattern: str, url: str, via: str, used: set[str]) -> list[dict]:
    cases = []
    for path in sorted(folder.glob(pattern)):
        relative = path.relative_to(folder).as_posix()
        name = path.stem.removesuffix("_filtered").replace("_", "-").lower()
        if path.name in used:
            continue
        text = card_excerpt(path.read_text(encoding="utf-8"))
        source = url.format(path=relative)
        cases.append({"id": f"{PREFIX[via]}-{name}", "source": source, "via": via, "text": text})
    return cases


def case_id(address: str) -> str:
    name = address.removeprefix("https://huggingface.co/datasets/").lower()
    return "hf-" + "-".join(re.findall(r"[a-z0-9]+", name))


def otdi_draw(
    folder: Path, used_sources: set[str], used_texts: set[str], case_set: str = "3"
) -> list[dict]:
    """The cards of each stage in turn: the next ones in the salt's order that fit its rule."""
    cards = all_otdi_cards(folder)
    taken, texts = [], set(used_texts)
    stages = STAGES if case_set == "3" else DRAWS[case_set][0]  # STAGES read at call time
    for rule, count in stages:
        chosen = 0
        for url in sorted(cards, key=lambda u: order(u, SETS[case_set][0])):
            text = tidy(cards[url])
            if chosen == count or url in used_sources or text in texts:
                continue
            if rule == "positive-pool" and not COMMONS_SOURCE_NAMES.search(cards[url]):
                continue
            texts.add(text)
            taken.append(
                {
                    "id": case_id(url),
                    "source": url,
                    "via": "otdi-catalog",
                    "text": text,
                    "drawn_by": rule,
                }
            )
            chosen += 1
    return taken


def draw(sources: Path, case_set: str = "3") -> list[dict]:
    earlier = used_cases(DRAWS[case_set][1])
    used_sources = {c["source"] for c in earlier if c.get("source")}
    used_names = {url.rsplit("/", 1)[1] for url in used_sources if "danish-foundation" in url}
    pool = card_cases(
        sources / "common-pile/danish-foundation-models-site",
        "docs/data/*_filtered/*_filtered.md",
        SITE.format(commit=SITE_COMMIT, path="{path}"),
        "common-pile-cards",
        used_names,
    )
    pool += card_cases(
        sources / "danish-dynaword/danish-foundation-models-datasheets",
        "data/*/*.md",
        DATASHEETS.format(commit=DATASHEETS_COMMIT, path="{path}"),
        "dynaword-datasheets",
        used_names,
    )
    texts = {c.get("text") for c in earlier}
    return pool + otdi_draw(sources / "otdi-catalog", used_sources, texts, case_set)
