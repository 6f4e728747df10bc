"""The static site under Datasette: /site and /site/ lead to its index page."""

from __future__ import annotations

from pathlib import Path

import pytest
from datasette.app import Datasette

PLUGINS = Path(__file__).resolve().parent.parent / "registry" / "datasette" / "plugins"


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/site", "/site/"])
async def test_site_folder_redirects_to_index(tmp_path, path):
    (tmp_path / "index.html").write_text("<!doctype html><title>Commons</title><main>home</main>")
    datasette = Datasette(
        memory=True, plugins_dir=str(PLUGINS), static_mounts=[("site", str(tmp_path))]
    )
    response = await datasette.client.get(path)
    assert response.status_code == 302
    assert response.headers["location"] == "/site/index.html"
    page = await datasette.client.get("/site/index.html")
    assert page.status_code == 200 and "<main>home</main>" in page.text
