"""Democratic governance of the rules: the charter, proposals, ballots and releases as data
beside the rules they govern (classifier/governance/), and the code that checks them,
computes the electorate from git history, tallies votes and cuts releases.

Like the rest of the classifier it imports nothing from `registry` but the entry model
(its strict YAML reader and positioned errors).
"""
