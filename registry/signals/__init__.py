"""Observing the AI-use preference signals a site publishes, and the normalised view.

`observe` fetches a URL's robots.txt, headers, meta tags and tdmrep.json
through `registry.net.network` and reads them with the vocabulary parsers of
`registry.entry.signals`; `view` combines what they say per use (training,
search, retrieval); `crawlers` lists AI crawler tokens as data.
"""
