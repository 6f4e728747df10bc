"""The AI-use preference signal vocabularies an entry's `signals` cite, as parsers.

One module per vocabulary, each following its specification to the letter:
`sfv` (RFC 9651 Dictionaries), `aipref` (IETF vocab-07/attach-05), `robots`
(RFC 9309 plus Content-Usage and Content-Signal), `tdmrep` (W3C TDMRep),
`content_signals` (Cloudflare), `ccsignals` (CC signals). The classifier reads
entries' signal values with them; `registry.signals` reads sites with them.
"""
