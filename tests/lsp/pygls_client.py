"""Drive `skew lsp` over stdio with a real LSP client (pygls 2.x) on the outage fixture.

Run by tests/lsp.rs as: python3 tests/lsp/pygls_client.py SKEW_BINARY FIXTURE_DIR
Exits non-zero with a message on the first failed expectation.
"""

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient

TIMEOUT = 20.0

API_MESSAGE = (
    "npm package `mysql` 2.18.1 (locked; declared `^2.18.1`) vs MySQL 8.0.36: the client "
    "cannot authenticate with `caching_sha2_password`, the default authentication plugin "
    "since MySQL 8.0.4\nhelp: replace `mysql` with `mysql2` >= 2.0.0 (no release of `mysql` "
    "implements `caching_sha2_password`)"
)
WORKER_MESSAGE = (
    "pypi package `PyMySQL` `==0.8.1` vs MySQL 8.0.36: the client cannot authenticate with "
    "`caching_sha2_password`, the default authentication plugin since MySQL 8.0.4\n"
    "help: upgrade `PyMySQL` to >=0.9.0 (>=0.9.1 on Python 2) and install `cryptography` (needed for the RSA exchange without TLS)"
)
RULE = "mysql-caching-sha2-password"
HREF = "https://dev.mysql.com/doc/refman/8.0/en/upgrading-from-previous-series.html"


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def rng(l1, c1, l2, c2):
    return t.Range(start=t.Position(line=l1, character=c1), end=t.Position(line=l2, character=c2))


async def main(skew: str, fixture: str) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="skew-lsp-"))
    try:
        await run(skew, fixture, tmp / "repo")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


async def run(skew: str, fixture: str, root: Path) -> None:
    shutil.copytree(fixture, root)
    api = (root / "services/api/package.json").as_uri()
    worker = (root / "services/worker/requirements.txt").as_uri()
    compose_path = root / "docker-compose.yml"
    compose = compose_path.as_uri()

    client = LanguageClient("skew-lsp-test", "1")
    diagnostics: dict[str, list[t.Diagnostic]] = {}
    published: list[str] = []

    @client.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: t.PublishDiagnosticsParams):
        diagnostics[params.uri] = list(params.diagnostics)
        published.append(params.uri)

    async def until(cond, what):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while not cond():
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what}; got {diagnostics!r}")
            await asyncio.sleep(0.05)

    await client.start_io(skew, "lsp")
    result = await client.initialize_async(
        t.InitializeParams(
            capabilities=t.ClientCapabilities(
                general=t.GeneralClientCapabilities(
                    position_encodings=[t.PositionEncodingKind.Utf16]
                )
            ),
            root_uri=root.as_uri(),
            workspace_folders=[t.WorkspaceFolder(uri=root.as_uri(), name="repo")],
        )
    )
    caps = result.capabilities
    check(caps.position_encoding == t.PositionEncodingKind.Utf16, f"encoding {caps.position_encoding}")
    check(result.server_info.name == "skew", "server name")
    client.initialized(t.InitializedParams())

    # 1. the whole workspace is checked on `initialized`
    await until(lambda: diagnostics.get(api) and diagnostics.get(worker), "initial diagnostics")
    api_lock = (root / "services/api/package-lock.json").as_uri()
    for uri, expected_range, message, extra_related in [
        (
            api,
            rng(9, 14, 9, 21),
            API_MESSAGE,
            [
                (api_lock, "`mysql` is locked at 2.18.1"),
                # why the pair was made: the build context of a service that depends on `db`
                (compose, "`services/api` is the build context of service `api` in `docker-compose.yml`, which depends on `db`"),
            ],
        ),
        (
            worker,
            rng(1, 7, 1, 14),
            WORKER_MESSAGE,
            [(compose, "`services/worker` is the build context of service `worker` in `docker-compose.yml`, which depends on `db`")],
        ),
    ]:
        [d] = diagnostics[uri]
        check(d.range == expected_range, f"{uri}: range {d.range}")
        check(d.message == message, f"{uri}: message {d.message!r}")
        check(d.code == RULE, f"{uri}: code {d.code}")
        check(d.source == "skew", f"{uri}: source {d.source}")
        check(d.severity == t.DiagnosticSeverity.Error, f"{uri}: severity {d.severity}")
        check(d.code_description.href == HREF, f"{uri}: href {d.code_description}")
        rel, *more = d.related_information
        check(
            [(m.location.uri, m.message) for m in more] == extra_related,
            f"{uri}: more related {more}",
        )
        check(rel.location.uri == compose, f"{uri}: related uri {rel.location.uri}")
        check(rel.location.range == rng(3, 17, 3, 23), f"{uri}: related range {rel.location.range}")
        check(rel.message == "MySQL 8.0.36 is declared here", f"{uri}: related {rel.message}")
    worker_diagnostic = diagnostics[worker][0]

    async def actions(uri, at):
        return await client.text_document_code_action_async(
            t.CodeActionParams(
                text_document=t.TextDocumentIdentifier(uri=uri),
                range=at,
                context=t.CodeActionContext(diagnostics=[]),
            )
        )

    # 2. quick fix for the pin; none for "replace the package"
    async def expect_pymysql_fix():
        got = await actions(worker, rng(1, 9, 1, 9))
        check(got is not None and len(got) == 1, f"PyMySQL actions: {got}")
        [a] = got
        check(a.title == "upgrade `PyMySQL` to `==0.9.0`", f"title {a.title}")
        check(a.kind == t.CodeActionKind.QuickFix, f"kind {a.kind}")
        [edit] = a.edit.changes[worker]
        check(edit.range == rng(1, 7, 1, 14), f"edit range {edit.range}")
        check(edit.new_text == "==0.9.0", f"edit text {edit.new_text}")
        check(a.diagnostics and a.diagnostics[0].code == RULE, "action names its diagnostic")

    await expect_pymysql_fix()
    got = await actions(api, rng(9, 14, 9, 21))
    check(not got, f"no edit for a package to replace: {got}")
    got = await actions(worker, rng(2, 0, 2, 3))
    check(not got, f"no action away from the finding: {got}")

    # 3. an unsaved edit to docker-compose.yml re-evaluates the other files
    text = compose_path.read_text()
    check("mysql:8.0.36" in text, "fixture has mysql:8.0.36")
    client.text_document_did_open(
        t.DidOpenTextDocumentParams(
            text_document=t.TextDocumentItem(uri=compose, language_id="yaml", version=1, text=text)
        )
    )
    published.clear()
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=compose, version=2),
            content_changes=[
                t.TextDocumentContentChangeWholeDocument(text=text.replace("mysql:8.0.36", "mysql:5.7"))
            ],
        )
    )
    await until(lambda: api in published and worker in published, "re-publication after didChange")
    check(diagnostics[api] == [], f"api cleared: {diagnostics[api]}")
    check(diagnostics[worker] == [], f"worker cleared: {diagnostics[worker]}")
    check(compose_path.read_text() == text, "the server never writes files")
    got = await actions(worker, rng(1, 9, 1, 9))
    check(not got, f"no action once the finding is gone: {got}")

    # 4. undoing the edit brings the findings and the quick fix back
    published.clear()
    client.text_document_did_change(
        t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=compose, version=3),
            content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    await until(lambda: diagnostics.get(worker), "diagnostics back after undo")
    check(diagnostics[worker] == [worker_diagnostic], f"same diagnostic: {diagnostics[worker]}")
    await expect_pymysql_fix()

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    code = client._server.returncode if client._server is not None else None
    check(code == 0, f"exit code after shutdown/exit: {code}")
    print("pygls client: all expectations met")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
