"""Where a description mentions a dataset without naming its data's source: it cites the paper
about the data, or measures the data against another dataset.

Dataset cards cite their paper in many ways: a BibTeX field (`archivePrefix={arXiv}`), an arXiv
identifier (`arXiv:2409.09825`), a line of link labels whose links the card lost ("🌐 Homepage |
📖 arXiv | 💻 Code", "[arXiv Paper]"), or a sentence ("our paper is released on arXiv", "Paper:
Arxiv"). Each says where to read about the data, not that the data is arXiv's papers; a card
whose data *is* arXiv's writes "papers from arXiv", "arXiv abstracts", "submitted to arXiv".

A comparison ("bigger than CIFAR10, smaller than ImageNet", "unlike Wikipedia dumps", "compared
to COCO") uses a dataset as a yardstick: the data is not that dataset.
"""

from __future__ import annotations

import re

# A BibTeX entry's arXiv fields (`archivePrefix={arXiv}`, `eprint={2402.06852}`): the entry cites a
# paper there. Its title and authors stay: a card may cite the data's own source that way
# (`@misc{enwiki:1154298520, author="{Wikipedia contributors}", ...}`).
BIBTEX_ARXIV = r"\b(?:archiveprefix|eprint)\s*=\s*[{\"]?\s*(?:arxiv\b|[\w:.]+)\s*[}\"]?"
# An arXiv identifier or a citation's "arXiv 2020".
ARXIV_ID = r"(?:10\.48550/)?\barxiv(?:[:.]\s*|\s+)(?:\d{4}\.\d{4,5}(?:v\d+)?|(?:19|20)\d\d\b)"
# "the paper on arXiv", "Paper: Arxiv", "our paper is released on arXiv", "Paper (arXiv)": one
# paper and where it is ("each paper on arXiv" speaks of the papers themselves).
PAPER_IS_AT = (
    r"(?<!each )(?<!every )\bpaper\s*(?::|\(|[-–]"
    r"|(?:is\s+)?(?:available\s+|released\s+|published\s+)?(?:on|at)\b)\s*arxiv\b"
)
# "arXiv paper", "arXiv page", "the arXiv version", "the original arXiv submission": one paper's
# page ("arXiv paper abstracts", "arXiv papers" are the content).
ARXIV_PAPER = (
    r"\barxiv\s+(?:paper|page|version|submission|preprint)\b(?!\s+(?:abstracts?|metadata|full))"
)
# A BibTeX venue naming arXiv (`journal={ArXiv}`, `journal={arXiv preprint ...}`), "arXiv link",
# "arXiv here", "arXiv: - 2406.18518": a citation's venue or a link's label.
ARXIV_VENUE = (
    r"\b(?:journal|booktitle|publisher|howpublished)\s*=\s*[{\"]\s*arxiv\b"
    r"|\barxiv\s*(?:link|here)\b|\barxiv\s*:\s*-\s*(?=\d{4}\.\d{4,5})"
)
# "📖 arXiv", "| arXiv |", "[ arXiv ]", "(arXiv)": a link label in a list of links.
EMOJI = "\u2600-\u27bf\U0001f300-\U0001faff"
ARXIV_LABEL = rf"(?:[|\[•{EMOJI}]\s*\barxiv\b|\(\s*arxiv\s*\)|\barxiv\s*(?=[|\]•]))"

# The dataset a comparison measures against: the word after "smaller than", "unlike", ...
YARDSTICK = (
    r"\b(?:(?:bigger|smaller|larger|harder|easier|cleaner|longer|shorter|more \w+|less \w+)"
    r" than|unlike|compared (?:to|with)|in contrast to)\s+(?:the\s+)?[\w.-]+"
)

MENTION = re.compile(
    "|".join(
        (BIBTEX_ARXIV, ARXIV_ID, PAPER_IS_AT, ARXIV_PAPER, ARXIV_VENUE, ARXIV_LABEL, YARDSTICK)
    ),
    re.IGNORECASE,
)


def without_mentions(text: str) -> str:
    """The text with its citations of papers and its comparisons blanked (module docstring)."""
    return MENTION.sub(" ", text)
