"""Known AI crawler product tokens and what their operators use them for.

Source: ai-robots-txt/ai.robots.txt robots.json (keys are the tokens) and the
operators' documentation. `use` maps a token to the normalised category a
robots.txt Disallow for it is evidence about: training, search or retrieval
(fetching pages to answer a user's question). Tokens match case-insensitively
(RFC 9309 §2.2.1). Extend this table, not the code.
"""

from __future__ import annotations

from typing import NamedTuple


class Crawler(NamedTuple):
    token: str
    operator: str
    use: str  # training | search | retrieval


CRAWLERS = (
    Crawler("GPTBot", "OpenAI", "training"),
    Crawler("OAI-SearchBot", "OpenAI", "search"),
    Crawler("ChatGPT-User", "OpenAI", "retrieval"),
    Crawler("CCBot", "Common Crawl", "training"),
    Crawler("ClaudeBot", "Anthropic", "training"),
    Crawler("anthropic-ai", "Anthropic", "training"),
    Crawler("Claude-SearchBot", "Anthropic", "search"),
    Crawler("Claude-User", "Anthropic", "retrieval"),
    Crawler("Google-Extended", "Google", "training"),
    Crawler("CloudVertexBot", "Google", "training"),
    Crawler("Applebot-Extended", "Apple", "training"),
    Crawler("Bytespider", "ByteDance", "training"),
    Crawler("cohere-ai", "Cohere", "retrieval"),
    Crawler("cohere-training-data-crawler", "Cohere", "training"),
    Crawler("PerplexityBot", "Perplexity", "search"),
    Crawler("Perplexity-User", "Perplexity", "retrieval"),
    Crawler("Meta-ExternalAgent", "Meta", "training"),
    Crawler("Meta-ExternalFetcher", "Meta", "retrieval"),
    Crawler("Amazonbot", "Amazon", "training"),
    Crawler("AI2Bot", "Allen Institute for AI", "training"),
    Crawler("Ai2Bot-Dolma", "Allen Institute for AI", "training"),
    Crawler("Diffbot", "Diffbot", "training"),
    Crawler("omgili", "Webz.io", "training"),
    Crawler("DuckAssistBot", "DuckDuckGo", "retrieval"),
    Crawler("MistralAI-User", "Mistral", "retrieval"),
)
