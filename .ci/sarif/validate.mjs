// validate.mjs checks SARIF files against the SARIF 2.1.0 JSON schema, so a
// report that GitHub code scanning or Azure DevOps would reject fails CI here
// with the offending JSON path instead of at upload time.
//
//	node .ci/sarif/validate.mjs FILE...
//
// Exit 0: every file is valid. Exit 1: some file is not (each error is
// printed as "FILE: /json/pointer: what is wrong"). Exit 2: usage, or the
// validator itself is not installed (run: npm ci --prefix .ci/sarif).
//
// The schema is the SARIF 2.1.0 schema (rtm.5, the text of the OASIS
// Standard as published on SchemaStore) that @microsoft/jest-sarif ships; it
// is written in JSON Schema draft-04, hence ajv-draft-04. Nothing is fetched
// at run time: the schema's $ref are all internal.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const schemaFile = "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate.mjs FILE...");
  process.exit(2);
}

let Ajv, addFormats, schema;
try {
  Ajv = require("ajv-draft-04");
  addFormats = require("ajv-formats");
  schema = JSON.parse(readFileSync(require.resolve(schemaFile), "utf8"));
} catch (err) {
  console.error(`validate.mjs: ${err.message}\nvalidate.mjs: run npm ci --prefix .ci/sarif first`);
  process.exit(2);
}

// allErrors: report every problem in one run, not just the first.
// strict false: the schema predates Ajv's strict mode (its anyOf branches
// require properties they do not declare), which is the schema's style, not
// a fault in what we validate.
// unicodeRegExp false: the schema's "language" pattern has a stray "]" that
// is a syntax error under the u flag and a literal without it, as in the
// draft-04 era validators the schema was written for.
const ajv = new (Ajv.default ?? Ajv)({ allErrors: true, strict: false, unicodeRegExp: false });
(addFormats.default ?? addFormats)(ajv);
const validate = ajv.compile(schema);

let failed = false;
for (const file of files) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    console.error(`${file}: ${err.message}`);
    failed = true;
    continue;
  }
  if (validate(doc)) {
    console.log(`${file}: valid SARIF 2.1.0`);
    continue;
  }
  failed = true;
  for (const e of validate.errors) {
    const extra = e.params && Object.keys(e.params).length ? " " + JSON.stringify(e.params) : "";
    console.error(`${file}: ${e.instancePath || "/"}: ${e.message}${extra}`);
  }
}
process.exit(failed ? 1 : 0);
