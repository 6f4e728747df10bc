"""The AI-use preference signal vocabularies an entry's `signals` cite, as parsers.

One module per vocabulary, each following its specification to the letter:
`sfv` (RFC 9651 Dictionaries, read by http-sfv), `aipref` (IETF vocab-08/attach-05),
`robots` (RFC 9309 plus Content-Usage, Content-Signal and RSL License lines), `tdmrep`
(W3C TDMRep), `content_signals` (Cloudflare, with `use=`), `ccsignals` (CC signals),
`rsl` (RSL 1.0 licence documents). The classifier reads signal values with them;
`registry.signals` reads sites with them.
"""
