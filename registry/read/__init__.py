"""The registry database as its consumers read it: the site, the Datasette entry page, exports
and the overlap index open it, check it and assemble entries through this package only."""
