"""A hostile visitor against the real `commons serve`: nothing stalls it, nothing answers 500.

The server is started once for the module, on the committed entries, exactly
as `bash scripts/serve.sh` starts it. Its Datasette process is watched through
/proc: each hostile query's peak memory is read from VmHWM after resetting it
(`clear_refs` 5), so a query that builds a gigabyte shows up as one.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from test_serve import ROOT, free_port

from registry.datasette.plugins.csv_guard import CsvRewriter
from registry.datasette.plugins.sqlite_limits import MAX_VALUE_BYTES, printf_size

MB = 1024 * 1024


class Server:
    def __init__(self, port: int, process: subprocess.Popen, log: Path, db: Path):
        self.port, self.process, self.log, self.db = port, process, log, db

    def request(self, path: str, method: str = "GET", body: str | None = None, headers=None):
        """(status, body text, seconds) of one request."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(headers or {})
        if body is not None:
            headers.setdefault("content-type", "application/x-www-form-urlencoded")
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        return response.status, text, time.perf_counter() - started

    def datasette_pid(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return int(children.split()[0])

    def reset_peak(self) -> int:
        """Reset the Datasette process's peak memory to its current size; return that size."""
        pid = self.datasette_pid()
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return self._status_kb("VmHWM") * 1024

    def peak(self) -> int:
        return self._status_kb("VmHWM") * 1024

    def _status_kb(self, field: str) -> int:
        for line in Path(f"/proc/{self.datasette_pid()}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise AssertionError(f"no {field} for the Datasette process")


@pytest.fixture(scope="module")
def server(tmp_path_factory, project_catalog):
    """`commons serve --no-build` on the registry of the project's curated entries (the session's
    project_catalog, copied with the files beside it: serve writes its inspect data there)."""
    folder = tmp_path_factory.mktemp("served")
    for built in project_catalog.parent.glob("registry.db*"):
        shutil.copy2(built, folder / built.name)
    db = folder / "registry.db"
    commons = str(Path(sys.executable).with_name("commons"))
    port = free_port()
    log = folder / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [commons, "serve", "--no-build", "--db", str(db), "--port", str(port)],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Server(port, process, log, db)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if running.request("/-/versions.json")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(log.read_text())
            time.sleep(0.2)
        yield running
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


ERROR_PAGES = [
    ("/entry/no-such-entry", 404),
    ("/no/such/page", 404),
    ("/registry/no_such_table", 404),
    ("/registry/-/query?sql=selec+1", 400),
    ("/registry/-/query.json?sql=select+*+from+no_such_table", 400),
    ("/registry/catalog.json?_where=no_such_function(1)", 400),
    ("/registry/catalog?_sort=no_such_column", 400),
    # Paths that answered 500 when Rich printed errors raised outside an except block.
    ("/-/static-plugins/x/y", 404),
    ("/registry//example.com", 404),
]


@pytest.mark.parametrize(("path", "status"), ERROR_PAGES)
def test_error_pages_answer_quickly_without_printing_locals(server, path, status):
    answered, _, seconds = server.request(path)
    assert answered == status
    # With Rich's traceback of every frame's locals these took 1.5-5 s on this machine.
    assert seconds < 0.5
    log = server.log.read_text(encoding="utf-8", errors="replace")
    assert "locals" not in log and "╭" not in log and "Traceback" not in log


@pytest.mark.parametrize(
    ("path", "body"),
    [("/registry/-/query", "sql=select+1"), ("/-/messages", "message=x&message_type=7")],
)
def test_posts_to_datasettes_own_endpoints_are_refused_not_500(server, path, body):
    status, text, _ = server.request(path, "POST", body)
    assert status == 405 and "read-only" in text


def test_the_overlap_form_still_accepts_post(server):
    status, text, _ = server.request(
        "/-/overlap.json", "POST", urllib.parse.urlencode({"q": "Wikipedia articles dump"})
    )
    assert status == 200 and json.loads(text)["matches"]


HOSTILE_QUERIES = [
    "/registry/-/query.json?sql="
    + urllib.parse.quote("select length(printf('%.*c', 999999999, 'x'))"),
    "/registry/-/query.json?sql=" + urllib.parse.quote("select printf('%.999999999c', 'x')"),
    "/registry/-/query.json?sql=" + urllib.parse.quote("select format('%.*c', 999999999, 'x')"),
    "/registry/catalog.json?_where="
    + urllib.parse.quote("length(printf('%.*c', 999999999, 'x')) > 0"),
    "/registry/-/query.json?sql=" + urllib.parse.quote("select length(zeroblob(999999999))"),
    "/registry/catalog.json?_where=" + urllib.parse.quote("length(zeroblob(999999999)) > 0"),
    # Within the length limit per value, over the result budget: many rows, or one wide row.
    "/registry/-/query.json?sql="
    + urllib.parse.quote("select printf('%.*c', 262000, 'x') from reasons"),
    "/registry/-/query.json?sql="
    + urllib.parse.quote("select " + ", ".join(["printf('%.*c', 262000, 'x')"] * 100)),
    "/registry/-/query.json?sql="
    + urllib.parse.quote(
        "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
    ),
]


@pytest.mark.parametrize("path", HOSTILE_QUERIES)
def test_a_hostile_query_is_refused_within_time_and_memory(server, path):
    before = server.reset_peak()
    status, text, seconds = server.request(path)
    assert status == 400, text[:300]
    assert seconds < 1.5
    assert server.peak() - before < 100 * MB
    body = json.loads(text)
    assert body["ok"] is False
    assert body["error"] in (
        "string or blob too big",
        "the result is over 16 MB; select fewer rows or columns, or download the database",
        "SQL query took too long. The time limit is controlled by the sql_time_limit_ms setting.",
    )


def test_ordinary_printf_and_long_values_still_work(server):
    sql = "select printf('%.2f', 3.14159) as pi, format('%d-%s', 5, 'a') as f, " + (
        "length(printf('%.*c', 1000, 'x')) as n, max(length(description)) as longest from entries"
    )
    status, text, _ = server.request("/registry/-/query.json?sql=" + urllib.parse.quote(sql))
    assert status == 200
    assert json.loads(text)["rows"] == [
        {"pi": "3.14", "f": "5-a", "n": 1000, "longest": json.loads(text)["rows"][0]["longest"]}
    ]
    assert json.loads(text)["rows"][0]["longest"] > 1000


def test_host_header_is_not_reflected_into_links(server):
    headers = {"Host": "evil.example"}
    status, text, _ = server.request("/registry/catalog.json?_size=2", headers=headers)
    assert status == 200
    assert json.loads(text)["next_url"].startswith(f"http://127.0.0.1:{server.port}/registry/")
    status, page, _ = server.request("/registry/catalog?_size=2", headers=headers)
    assert status == 200 and "evil.example" not in page
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    _, text, _ = server.request("/registry/catalog.json?_size=2", headers=headers)
    assert json.loads(text)["next_url"].startswith(f"http://127.0.0.1:{server.port}/")


def test_databases_json_does_not_show_where_the_file_is(server):
    status, text, _ = server.request("/-/databases.json")
    assert status == 200
    assert [db["path"] for db in json.loads(text)["databases"]] == ["registry.db"]
    assert str(server.db.parent) not in text


def test_datasettes_csv_has_the_formula_guard(server):
    sql = "select '=HYPERLINK(1)' as a, '+1 2' as b, '@SUM(1)' as c, -2 as d, 'plain' as e"
    status, text, _ = server.request("/registry/-/query.csv?sql=" + urllib.parse.quote(sql))
    assert status == 200
    assert text.splitlines() == ["a,b,c,d,e", "'=HYPERLINK(1),'+1 2,'@SUM(1),-2,plain"]
    # A streamed table download goes through the same guard, and keeps every row.
    status, text, _ = server.request("/registry/catalog.csv?_stream=on&_dl=1")
    assert status == 200
    lines = text.splitlines()
    assert lines[0].startswith("rowid,id,name") or lines[0].startswith("id,")
    assert not any(cell.startswith(("=", "+", "@")) for line in lines for cell in line.split(","))


def test_a_corrupt_database_is_one_clear_error(tmp_path):
    commons = str(Path(sys.executable).with_name("commons"))
    for name, content in [
        ("text.db", b"not a database, just text" * 100),
        ("torn.db", b"SQLite format 3\x00" + b"\x07" * 8000),
    ]:
        db = tmp_path / name
        db.write_bytes(content)
        result = subprocess.run(
            [commons, "serve", "--no-build", "--db", str(db), "--port", str(free_port())],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr + result.stdout
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {db}")
        assert "commons build" in lines[0]


def test_printf_size_adds_widths_and_precisions():
    assert printf_size("%.*c", (999999999, "x")) == 999999999
    assert printf_size("%5.2f and %*d %%", (3.1, 7, 1)) == 14
    assert printf_size("%-*s", ("-12", "a")) == 12
    assert printf_size("plain", ()) == 0
    assert printf_size("%.*c", ()) == 0
    assert printf_size("%0999999999d", (1,)) > MAX_VALUE_BYTES


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64])
def test_csv_rewriter_gives_the_same_records_whatever_the_chunks(size):
    body = 'a,b\r\n=1+1,"x\r\n=y"\r\n-3,é@\r\n"=""q""",\r\n'.encode()
    rewriter = CsvRewriter()
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    out = b"".join(
        rewriter.feed(chunk, last=index == len(chunks) - 1) for index, chunk in enumerate(chunks)
    )
    assert out.decode() == 'a,b\r\n\'=1+1,"x\r\n=y"\r\n-3,é@\r\n"\'=""q""",\r\n'


def test_sixteen_clients_with_one_error_in_five_get_no_500(server):
    """A short run of scripts/error_load.py (the 60 s figures are in BENCHMARKS.md)."""
    from scripts.error_load import ERRORS, NORMAL, run, summary

    results = asyncio.run(run(f"http://127.0.0.1:{server.port}", 16, 5, 5, 0.25, NORMAL))
    report = summary(results, 5, None, None)
    assert report["normal"]["statuses"] == {"200": report["normal"]["count"]}
    assert set(report["error"]["statuses"]) <= {"400", "404"}
    assert {path for kind, path, _, _ in results if kind == "error"} == set(ERRORS)
    # Errors no longer hold the event loop: before, one took 1.5-5 s.
    assert report["error"]["max_ms"] < 1000
