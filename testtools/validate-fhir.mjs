// validate-fhir.mjs validates FHIR R4 JSON resources against the official R4
// JSON schema (draft-06) with ajv. Test tool only (fhir/schema_test.go).
//
//   node validate-fhir.mjs SCHEMA [FILE...]
//
// With no FILE it reads NDJSON from stdin, one resource a line. Each error is
// printed as "NAME: INSTANCE-PATH: MESSAGE" (NAME is the file, or stdin:LINE);
// the exit status is 1 when any resource is invalid, 2 on a usage or read error.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const draft6 = require('ajv/dist/refs/json-schema-draft-06.json');

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath) {
  console.error('usage: node validate-fhir.mjs SCHEMA [FILE...] (NDJSON on stdin without FILE)');
  process.exit(2);
}

// The schema file has CRLF line endings and a draft-06 $schema; JSON.parse
// takes CRLF as whitespace. strict: false because ajv's strict mode refuses
// the schema's "discriminator", a keyword JSON Schema does not define.
// Its root names itself with draft-04's "id", which ajv refuses as a
// keyword; it becomes "$id", the draft-06 spelling of the same thing.
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
if (typeof schema.id === 'string' && schema.$id === undefined) {
  schema.$id = schema.id;
  delete schema.id;
}
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft6);
ajv.addSchema(schema);
// A resource is checked against its own type's definition, as the root's
// oneOf would pick it by the discriminator (errors then name its own members,
// not all 146 branches); a missing or unknown resourceType is an error.
const byType = new Map();
function validatorFor(rt) {
  if (!byType.has(rt)) byType.set(rt, ajv.getSchema(`${schema.$id}#/definitions/${rt}`));
  return byType.get(rt);
}

const inputs = [];
if (files.length > 0) {
  for (const f of files) inputs.push([f, readFileSync(f, 'utf8')]);
} else {
  const lines = readFileSync(0, 'utf8').split('\n');
  lines.forEach((l, i) => { if (l.trim() !== '') inputs.push([`stdin:${i + 1}`, l]); });
}

let bad = 0;
for (const [name, text] of inputs) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    console.log(`${name}: not JSON: ${e.message}`);
    bad++;
    continue;
  }
  const rt = doc !== null && typeof doc === 'object' ? doc.resourceType : undefined;
  if (typeof rt !== 'string' || !Object.hasOwn(schema.discriminator.mapping, rt)) {
    console.log(`${name}: /resourceType: not a resource type of the schema: ${JSON.stringify(rt)}`);
    bad++;
    continue;
  }
  const validate = validatorFor(rt);
  if (validate(doc)) continue;
  bad++;
  for (const e of validate.errors) {
    console.log(`${name}: ${e.instancePath || '/'}: ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
  }
}
console.log(`${inputs.length - bad} of ${inputs.length} valid`);
// exitCode, not exit(): exit() may cut stdout short when it is a pipe.
process.exitCode = bad > 0 ? 1 : 0;
