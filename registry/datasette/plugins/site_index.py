"""The static site under /site/: its folder URL opens the index page, a missing page the site's 404.

Datasette's static handler serves files, not folders, so the bare folder URL
would answer 403; the site is built with file URLs (use_directory_urls: false).
For a path it cannot find it answers a bare "Not Found"; under /site/ the reader
gets the site's own 404.html instead (built with --site-url, so its links work
from any depth), still with status 404.
"""

from pathlib import Path

from datasette import Response, hookimpl

SITE_MOUNT = "site"


@hookimpl
def register_routes():
    return [(r"^/site/?$", lambda: Response.redirect("/site/index.html"))]


def _site_404(datasette) -> bytes | None:
    for mount, folder in datasette.static_mounts:
        page = Path(folder) / "404.html"
        if mount == SITE_MOUNT and page.is_file():
            return page.read_bytes()
    return None


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def site_not_found(scope, receive, send):
            if scope["type"] != "http" or not scope["path"].startswith(f"/{SITE_MOUNT}/"):
                return await app(scope, receive, send)
            missing = False

            async def replace_not_found(message):
                nonlocal missing
                if message["type"] == "http.response.start" and message["status"] == 404:
                    page = _site_404(datasette)
                    if page is not None:
                        missing = True
                        headers = [(b"content-type", b"text/html; charset=utf-8")]
                        headers.append((b"content-length", str(len(page)).encode()))
                        await send(
                            {"type": "http.response.start", "status": 404, "headers": headers}
                        )
                        await send({"type": "http.response.body", "body": page})
                        return
                if not missing:
                    await send(message)

            await app(scope, receive, replace_not_found)

        return site_not_found

    return wrap
