"""Send /site and /site/ to the static site's index page.

Datasette's static handler serves files, not folders, so the bare folder URL
would answer 403; the site is built with file URLs (use_directory_urls: false).
"""

from datasette import Response, hookimpl


@hookimpl
def register_routes():
    return [(r"^/site/?$", lambda: Response.redirect("/site/index.html"))]
