"""What the offered data consists of, when the description says it is new content.

A card may name its commons source in one sentence ("paragraphs sourced from Hebrew Wikipedia")
and say in another what its data is ("a question answering dataset ... consisting of 30,147
questions", "This dataset contains translations of sentences ... sourced from the Tatoeba
project"). The data is then the new content (questions, claims, captions, translations,
instruction pairs, rankings, analyses) written over the source, not the source's content: related
data a buyer could use instead, at most "medium" (verdict.py), unless the evidence of sameness is
itself about that content ("Stack Overflow questions", "StackOverflow Q&A"): a Q&A site's
questions are its own content.

The declaration is structural, not a phrase list of cards: a verb saying what the data holds
("contains", "consists of", "comprising", "there are", "a set of") followed within a few words by
a noun of new content; a task the dataset is made for ("a question answering dataset", "dataset
for evaluating Machine Reading Comprehension"); or the data named as a ranking or a model's
translations ("a statistical ranking of each sample", "Raw Machine Translations"); or the
source's texts given new labels or words ("comments which have been labeled by human raters",
"these sentences were translated into the other languages", "coreference-labeled pairs").
"""

from __future__ import annotations

import re

# Nouns of content written over a source: what people or a model made, not the source's text.
NEW_CONTENT = (
    r"(?:questions?|question[- ]answer(?:ing)?(?: \(qa\))? pairs|qa[- ]pairs|claims|captions"
    r"|translations|(?:sentences|texts) translated|instructions"
    r"|instruction[-–‐ ](?:response|answer|output|following )?pairs|dialogues|conversations"
    r"|summaries|(?:math|word|reasoning) problems|(?:sql )?queries|knowledge graphs"
    r"|rankings?|scores|ratings|annotations|analyses|paraphrases|prompts|preferences"
    r"|judge?ments|triples|simplifications"
    # pairs made by labelling or asking ("coreference-labeled pairs", "pairs table-question")
    r"|[\w]+-label(?:l)?ed pairs|[\w]+-questions?)"
)
# Tasks a dataset is made for whose data is new content over a source.
TASKS = (
    r"(?:question[- ]answering|qa|qna|reading comprehension|instruction[- ]tuning|captioning"
    r"|named entity recognition|ner|ranking|summari[sz]ation|fact[- ]verification)"
    r"(?: \((?:qa|qna|ner)\))?"
)
# At most three words between the verb and the noun ("more than 550k questions", "sentence-level
# clinical annotations"), shortest first.
FILLER = r"(?:(?:[~\d][\d,.]*\s*[km]?|[\w-]+)\s+){0,4}?"
# The data as the subject of a verb saying what it holds; a verb whose subject is the source
# ("Tatoeba ... Its aim is to provide example sentences and translations") is not the data's.
SUBJECT = r"(?:dataset|data|corpus|collection|benchmark|sample|entry|it|this|which)"
HOLDS = re.compile(
    r"\b(?:" + SUBJECT + r"\s+(?:also\s+)?(?:contains?|provides?|includes?|offers?)"
    r"|containing|consists? of|consisting of|comprises?|comprising|there are|made up of"
    r"|(?:is|are) associated with|(?:transformed|turned) into"
    r"|(?:collection|dataset|set) of)\s+" + FILLER + r"(" + NEW_CONTENT + r")\b",
    re.IGNORECASE,
)
FOR_TASK = re.compile(
    r"\b(?:(" + TASKS + r")\s+(?:dataset|benchmark|corpus|data ?set|training set)"
    r"|(?:dataset|benchmark|corpus|training set|used|designed|intended)\s+(?:[\w-]+\s+){0,2}?"
    r"for\s+(?:evaluating\s+|training\s+|testing\s+)?(?:[\w-]+\s+)?(" + TASKS + r"))\b",
    re.IGNORECASE,
)
# "is a translation of" names one translation of a whole source: the singular counts here.
IS_A = re.compile(
    r"\bis an? (?:[\w-]+ ){0,3}?(" + NEW_CONTENT + r"|translation) of\b", re.IGNORECASE
)
# The source's texts given new labels or put into new words by people or a model ("comments
# which have been labeled by human raters", "these sentences were translated into the other
# languages"): the labels or the translations are the data.
RELABELLED = re.compile(
    r"\b(?:have|has|had|were|was|are|is)\s+(?:been\s+)?(?:then\s+|manually\s+|also\s+)?"
    r"(labell?ed by|translated into)\b",
    re.IGNORECASE,
)
MACHINE_MADE = re.compile(r"\b(?:machine|model|automatic) (translations)\b", re.IGNORECASE)
# The words of an evidence of sameness that show it is about that content ("Stack Overflow
# questions", "StackOverflow Q&A"), by the content's first letters or the task's content.
ABOUT = {
    "quest": ("quest", "q&a", "qa ", "qna"),
    "qa": ("quest", "q&a", "qa ", "qna"),
    "qna": ("quest", "q&a", "qa ", "qna"),
    "readi": ("quest", "q&a", "qa ", "qna"),
    "named": ("entit",),
    "ner": ("entit",),
    "fact": ("claim",),
    "instr": ("instr",),
}


def new_content(text: str, same: str = "") -> list[str]:
    """The description's words saying its data is new content made over a source, once each;
    none whose content the evidence of sameness `same` itself names."""
    found: list[str] = []
    said = same.casefold()
    for pattern in (HOLDS, FOR_TASK, IS_A, MACHINE_MADE, RELABELLED):
        for match in pattern.finditer(text):
            noun = next(g for g in match.groups() if g).casefold()
            key = _head(noun)[:5]
            if any(word in said for word in ABOUT.get(key, (key,))):
                continue
            words = " ".join(match.group().split())
            if words.casefold() not in (f.casefold() for f in found):
                found.append(words)
    return found


def _head(noun: str) -> str:
    """The word that says which content a noun names: its first word ("questions", "question-answer
    pairs"), or the last part of a first word joined to what it is about ("table-question" names
    questions, not tables)."""
    parts = noun.split()[0].split("-")
    if len(parts) > 1 and not re.fullmatch(NEW_CONTENT, parts[0], re.IGNORECASE):
        return parts[-1]
    return parts[0]
