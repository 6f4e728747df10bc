"""Parsers for machine-readable AI-use preference signals, and the normalised view.

One module per vocabulary, each following its specification to the letter:
`sfv` (RFC 9651 Dictionaries), `aipref` (IETF vocab-07/attach-05), `robots`
(RFC 9309 plus Content-Usage and Content-Signal), `tdmrep` (W3C TDMRep),
`content_signals` (Cloudflare), `ccsignals` (CC signals), `crawlers` (AI
crawler tokens as data). `observe` fetches a URL's signals through
`registry.network` and normalises them.
"""
