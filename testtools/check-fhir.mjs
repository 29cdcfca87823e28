// check-fhir.mjs checks FHIR R4 JSON resources three independent ways and
// prints one machine-readable JSON report. Test tool only
// (internal/fhircheck runs it; nothing of it goes into the binary).
//
//   node check-fhir.mjs FHIRDIR [FILE...]
//
// FHIRDIR is the shared folder's data/fhir (it holds r4-schema/ and
// r4-core-structuredefinitions/). With no FILE it reads a JSON array on
// stdin, each item {"name": NAME, "json": TEXT} (TEXT is the resource as a
// JSON string, so one broken resource does not break the others).
//
// The three checks, each on every resource:
//   schema     - the official R4 JSON schema (draft-06) with ajv, against the
//                resource type's own definition;
//   fhirjs     - the npm package fhir (FHIR.js) validator, with
//                errorOnUnexpected (an unknown member is an error);
//   invariants - the StructureDefinition of the resource type: every
//                constraint of severity "error" (FHIRPath, evaluated with the
//                npm package fhirpath and its R4 model) on every instance of
//                the element it sits on, ele-1 on every element, plus
//                cardinality (min, max) and Reference target types.
//                dom-3 is skipped (fhirpath cannot evaluate it) and the report
//                says so.
// A constraint that fhirpath fails to evaluate is a harness error, listed
// under "harness", never passed.
//
// Report: {"tools": {...versions}, "skipped": [...], "evaluated": {KEY:
// element instances each constraint was evaluated on}, "cpuMilliseconds":
// {startup, schema, fhirjs, invariants}, "resources": [{"name",
// "resourceType", "schema": [ISSUE], "fhirjs": [ISSUE], "invariants": [ISSUE],
// "harness": [ISSUE], "notes": [ISSUE]}]}, ISSUE = {"location", "message"}
// (location: a JSON pointer for schema, FHIR.js's own path for fhirjs, a
// FHIRPath for invariants). Exit status 0 when every resource passes every
// check, 1 when some do not, 2 on a usage or read error.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const draft6 = require('ajv/dist/refs/json-schema-draft-06.json');
const fhirpath = require('fhirpath');
const r4model = require('fhirpath/fhir-context/r4');
const { Fhir } = require('fhir');

// Limits on the input: the harness is a test tool, but a resource that is
// far too big or deep is an error of its own, not an endless run.
const MAX_INPUT = 256 << 20; // bytes on stdin
const MAX_DEPTH = 64; // element nesting walked by the invariant check

const [fhirDir, ...files] = process.argv.slice(2);
if (!fhirDir) {
  console.error('usage: node check-fhir.mjs FHIRDIR [FILE...] (a JSON array of {name, json} on stdin without FILE)');
  process.exit(2);
}

function version(pkg) {
  return require(`${pkg}/package.json`).version;
}

// ---- inputs ----------------------------------------------------------------
const inputs = [];
try {
  if (files.length > 0) {
    for (const f of files) inputs.push({ name: f, json: readFileSync(f, 'utf8') });
  } else {
    const text = readFileSync(0, 'utf8');
    if (text.length > MAX_INPUT) throw new Error(`stdin holds ${text.length} bytes, more than ${MAX_INPUT}`);
    const arr = JSON.parse(text);
    if (!Array.isArray(arr)) throw new Error('stdin is not a JSON array');
    for (const [i, it] of arr.entries()) {
      if (it === null || typeof it !== 'object' || typeof it.name !== 'string' || typeof it.json !== 'string') {
        throw new Error(`stdin item ${i}: want {"name": string, "json": string}`);
      }
      inputs.push({ name: it.name, json: it.json });
    }
  }
} catch (e) {
  console.error(`check-fhir: ${e.message}`);
  process.exit(2);
}

// ---- check 1: the R4 JSON schema with ajv ----------------------------------
// The schema file has CRLF line endings and a draft-06 $schema; JSON.parse
// takes CRLF as whitespace. strict: false because ajv's strict mode refuses
// the schema's "discriminator", a keyword JSON Schema does not define. Its
// root names itself with draft-04's "id", which ajv refuses as a keyword; it
// becomes "$id", the draft-06 spelling of the same thing.
const schema = JSON.parse(readFileSync(join(fhirDir, 'r4-schema', 'fhir.schema.json'), 'utf8'));
if (typeof schema.id === 'string' && schema.$id === undefined) {
  schema.$id = schema.id;
  delete schema.id;
}
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft6);
ajv.addSchema(schema);
const schemaByType = new Map();
// Compiling the first type compiles most of the schema (every type
// reaches every other through Bundle and contained): done here, once, it
// counts as startup.
schemaByType.set('Bundle', ajv.getSchema(`${schema.$id}#/definitions/Bundle`));
function schemaCheck(doc) {
  return schemaErrors(doc.resourceType, doc, '');
}

// schemaErrors validates a resource against its type's definition. A
// resource inside it (contained, a Bundle entry's) is checked by the
// schema's ResourceList, a oneOf of every type, whose failure lists every
// type's errors (hundreds for one bad member); those are replaced by the
// errors of the inner resource against its own type. If that inner check
// found nothing, the oneOf's own errors stay, so no failure is lost.
function schemaErrors(rt, doc, prefix) {
  if (!schemaByType.has(rt)) schemaByType.set(rt, ajv.getSchema(`${schema.$id}#/definitions/${rt}`));
  const validate = schemaByType.get(rt);
  if (validate(doc)) return [];
  const errors = validate.errors;
  const under = (path, p) => path === p || path.startsWith(p + '/');
  const issue = e => ({ location: prefix + e.instancePath || '/', message: `${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}` });
  // The outermost resources inside this one whose oneOf failed.
  let inner = [];
  for (const e of errors) {
    if (e.keyword !== 'oneOf' || e.instancePath === '' || inner.includes(e.instancePath)) continue;
    const v = atPointer(doc, e.instancePath);
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.resourceType === 'string') inner.push(e.instancePath);
  }
  inner = inner.filter(p => !inner.some(q => q !== p && under(p, q)));
  const out = [];
  for (const e of errors) {
    if (!inner.some(p => under(e.instancePath, p))) out.push(issue(e));
  }
  for (const p of inner) {
    const v = atPointer(doc, p);
    let errs;
    if (!Object.hasOwn(schema.discriminator.mapping, v.resourceType)) {
      errs = [{ location: prefix + p + '/resourceType', message: `not a resource type of the schema: ${JSON.stringify(v.resourceType)}` }];
    } else {
      errs = schemaErrors(v.resourceType, v, prefix + p);
    }
    if (errs.length === 0) {
      // Cannot happen (a valid resource matches its own branch), but the
      // oneOf failed: keep its errors rather than pass.
      errs = errors.filter(e => under(e.instancePath, p)).map(issue);
    }
    out.push(...errs);
  }
  return out;
}

// atPointer returns the value at a JSON pointer ("/entry/0/resource").
function atPointer(doc, pointer) {
  let v = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return undefined;
    v = v[k];
  }
  return v;
}

// ---- check 2: FHIR.js -----------------------------------------------------
const fhirjs = new Fhir(); // FHIR.js's default is R4 (4.0.x)
function fhirjsCheck(doc, notes) {
  // FHIR.js may add to the object it validates; it gets its own copy.
  const res = fhirjs.validate(structuredClone(doc), { errorOnUnexpected: true });
  const out = [];
  const corrected = new Set();
  for (const m of res.messages) {
    if (m.severity !== 'error' && m.severity !== 'fatal') continue;
    const loc = m.location || '';
    const present = falsyChoice(doc, loc, m.message);
    if (present) {
      if (!corrected.has(loc)) {
        corrected.add(loc);
        notes.push({ location: loc, message: `FHIR.js says "Missing property" but ${present} is there: FHIR.js 4.12.0 takes a required choice whose value is false, 0 or "" for absent (validator.js tests !!obj[name]); not counted as an error` });
      }
      continue;
    }
    out.push({ location: loc, message: m.message || '' });
  }
  return out;
}

// falsyChoice recognises FHIR.js's one known false error: for a required
// choice element (Questionnaire.item.enableWhen.answer[x]) it reports
// "Missing property" when the member is present with a falsy JSON value
// (answerBoolean: false, answerInteger: 0). It returns the member's name
// when loc (Type.a[0].b.name[x]) names a choice and the object there has
// exactly one name<Type> member whose value is false, 0 or ""; otherwise
// "" (the error stands).
function falsyChoice(doc, loc, message) {
  if (message !== 'Missing property' || !loc.endsWith('[x]')) return '';
  const segs = loc.split('.');
  if (segs.shift() !== doc.resourceType) return '';
  const stem = segs.pop().slice(0, -3);
  let obj = doc;
  for (const seg of segs) {
    const m = /^([A-Za-z]+)(?:\[(\d+)\])?$/.exec(seg);
    if (!m || obj === null || typeof obj !== 'object') return '';
    obj = obj[m[1]];
    if (m[2] !== undefined) obj = Array.isArray(obj) ? obj[Number(m[2])] : undefined;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return '';
  const members = Object.keys(obj).filter(k => k.length > stem.length && k.startsWith(stem) && /^[A-Z]/.test(k.slice(stem.length)));
  if (members.length !== 1) return '';
  const v = obj[members[0]];
  return v === false || v === 0 || v === '' ? members[0] : '';
}

// ---- check 3: StructureDefinitions: invariants, cardinality, targets -------
const sdDir = join(fhirDir, 'r4-core-structuredefinitions');
// fhirpath.js's hasValue() is false on an xhtml node (xhtml is missing from
// its set of primitive types), so ele-1 would fail every Narrative.div. In
// FHIR, xhtml is a primitive whose value is the div; the harness's
// hasValue() says so for an xhtml node with a non-empty string and leaves
// every other node to fhirpath's own function. trace() (que-1 uses it)
// would print on stdout; it prints nothing.
const builtinHasValue = fhirpath.compile('hasValue()', r4model, { resolveInternalTypes: false });
function hasValueFn(coll) {
  if (coll.length !== 1) return false;
  if (coll[0] && coll[0].fhirNodeDataType === 'xhtml') {
    return typeof coll[0].data === 'string' && coll[0].data !== '';
  }
  return builtinHasValue(coll[0], {})[0] === true;
}
const fpOpts = {
  resolveInternalTypes: false,
  traceFn: () => {},
  userInvocationTable: { hasValue: { fn: hasValueFn } },
};
const childrenOf = fhirpath.compile('children()', r4model, fpOpts);
const compiled = new Map(); // expression -> compiled function
function compileExpr(expr) {
  if (!compiled.has(expr)) {
    let fn;
    try {
      fn = fhirpath.compile(expr, r4model, fpOpts);
    } catch (e) {
      fn = e; // reported at each use, as a harness error
    }
    compiled.set(expr, fn);
  }
  return compiled.get(expr);
}

// A constraint the harness skips, with the reason (printed in the report).
const SKIP = new Map([
  // R4's dom-3 applies "as(canonical)" to descendants(), a collection;
  // fhirpath throws "Expected singleton on left side of 'as'" on every
  // resource with a contained resource (and gives true on the others).
  ['dom-3', "fhirpath cannot evaluate dom-3 (every contained resource is referenced from the rest of the resource): R4's expression applies 'as' to a collection, and fhirpath throws \"Expected singleton on left side of 'as'\" whenever the resource has contained resources"],
]);
const skippedCount = new Map();
const evaluatedCount = new Map(); // constraint key -> element instances evaluated

// Element is the one constraint every element carries (ele-1); Extension's
// ext-1 likewise applies to every extension. Both are taken from the
// StructureDefinitions themselves (their source is Element or Extension), so
// that they apply also to the elements inside datatypes, which the resource
// snapshots do not list (the datatype StructureDefinitions are not in the
// shared data).
let ele1 = null;
let ext1 = null;

const sds = new Map(); // resource type -> {defs: Map(path -> element), byId}
for (const f of readdirSync(sdDir)) {
  if (!f.startsWith('StructureDefinition-') || !f.endsWith('.json')) continue;
  const sd = JSON.parse(readFileSync(join(sdDir, f), 'utf8'));
  if (sd.resourceType !== 'StructureDefinition' || sd.kind !== 'resource' || !sd.snapshot) continue;
  const defs = new Map();
  for (const el of sd.snapshot.element) {
    defs.set(el.path, el);
    for (const c of el.constraint || []) {
      if (c.key === 'ele-1' && !ele1) ele1 = c;
      if (c.key === 'ext-1' && !ext1) ext1 = c;
    }
  }
  sds.set(sd.type, { url: sd.url, defs });
}
if (!ele1 || !ext1) {
  console.error('check-fhir: the StructureDefinitions carry no ele-1 or ext-1');
  process.exit(2);
}

function typeName(profile) {
  const i = profile.lastIndexOf('/');
  return i < 0 ? profile : profile.slice(i + 1);
}

// childDef finds the definition of a child member named prop under the
// element definition path base (choice elements by their [x] path).
function childDef(defs, base, prop) {
  const direct = defs.get(`${base}.${prop}`);
  if (direct) return { def: direct, name: prop };
  for (let i = prop.length - 1; i > 0; i--) {
    const d = defs.get(`${base}.${prop.slice(0, i)}[x]`);
    if (!d) continue;
    const suffix = prop.slice(i);
    const t = (d.type || []).find(t => t.code.charAt(0).toUpperCase() + t.code.slice(1) === suffix);
    if (t) return { def: d, name: prop.slice(0, i), choiceType: t.code };
  }
  return null;
}

// basePath is where an element definition's children are: its own path, or
// the path its contentReference names (Questionnaire.item.item is
// "#Questionnaire.item").
function basePath(def) {
  return def.contentReference ? def.contentReference.replace(/^#/, '') : def.path;
}

// The JSON member names that carry a child element (both the value and
// the "_" member of a primitive), for cardinality.
function countMembers(obj, def) {
  const last = def.path.slice(def.path.lastIndexOf('.') + 1);
  const names = [];
  if (last.endsWith('[x]')) {
    const stem = last.slice(0, -3);
    for (const t of def.type || []) names.push(stem + t.code.charAt(0).toUpperCase() + t.code.slice(1));
  } else {
    names.push(last);
  }
  let count = 0;
  let arrays = false;
  const present = [];
  for (const n of names) {
    const v = obj[n];
    const u = obj['_' + n];
    if (v === undefined && u === undefined) continue;
    present.push(n);
    const len = Math.max(Array.isArray(v) ? v.length : v !== undefined && v !== null ? 1 : 0,
      Array.isArray(u) ? u.length : u !== undefined && u !== null ? 1 : 0);
    if (Array.isArray(v) || Array.isArray(u)) arrays = true;
    count += len;
  }
  return { count, arrays, present };
}

function checkInvariants(root) {
  const out = { invariants: [], harness: [], notes: [] };
  // fullUrl -> resource type, for urn:uuid references inside a Bundle.
  const fullUrls = new Map();
  if (root.resourceType === 'Bundle' && Array.isArray(root.entry)) {
    for (const e of root.entry) {
      if (e && typeof e.fullUrl === 'string' && e.resource && typeof e.resource.resourceType === 'string') {
        fullUrls.set(e.fullUrl, e.resource.resourceType);
      }
    }
  }
  const rootNode = fhirpath.evaluate(root, '%context', {}, r4model, fpOpts)[0];
  checkResource(rootNode, root.resourceType, root, out, fullUrls, 0);
  return out;
}

function evalConstraint(c, node, loc, env, out) {
  if (SKIP.has(c.key)) {
    skippedCount.set(c.key, (skippedCount.get(c.key) || 0) + 1);
    return;
  }
  evaluatedCount.set(c.key, (evaluatedCount.get(c.key) || 0) + 1);
  const fn = compileExpr(c.expression);
  if (fn instanceof Error) {
    out.harness.push({ location: loc, message: `${c.key}: fhirpath cannot parse ${JSON.stringify(c.expression)}: ${fn.message}` });
    return;
  }
  let res;
  try {
    res = fn(node, env);
  } catch (e) {
    out.harness.push({ location: loc, message: `${c.key}: fhirpath cannot evaluate ${JSON.stringify(c.expression)}: ${e.message}` });
    return;
  }
  if (res.length === 1 && res[0] === true) return;
  if (res.length === 1 && res[0] === false) {
    out.invariants.push({ location: loc, message: `${c.key}: ${c.human} (${c.expression})` });
    return;
  }
  // An invariant must evaluate to true; empty or not a single boolean is
  // a failure, reported as such.
  out.invariants.push({ location: loc, message: `${c.key}: gave ${JSON.stringify(res)}, not true: ${c.human} (${c.expression})` });
}

// checkResource checks one resource (the root, a contained resource or a
// Bundle entry's resource) against its StructureDefinition.
function checkResource(node, loc, rootResource, out, fullUrls, depth) {
  const res = node.data;
  const sd = sds.get(res.resourceType);
  if (!sd) {
    out.notes.push({ location: loc, message: `no StructureDefinition for ${res.resourceType} in the shared data: its invariants, cardinality and references are not checked (ele-1 is)` });
  }
  // %resource is this resource; %rootResource the container of a contained
  // resource, else the resource itself (a Bundle entry is its own root).
  const env = { resource: res, rootResource };
  const contained = new Map();
  for (const c of Array.isArray(res.contained) ? res.contained : []) {
    if (c && typeof c.id === 'string' && typeof c.resourceType === 'string') contained.set(c.id, c.resourceType);
  }
  const ctx = { sd, env, out, fullUrls, contained, rootResource };
  if (sd) {
    const rootDef = sd.defs.get(res.resourceType);
    for (const c of rootDef.constraint || []) {
      if (c.severity === 'error') evalConstraint(c, node, loc, env, out);
    }
    checkCardinality(ctx, node, res.resourceType, loc);
  }
  walkChildren(ctx, node, sd ? res.resourceType : null, loc, depth);
}

function checkCardinality(ctx, node, base, loc) {
  const obj = node.data !== null && typeof node.data === 'object' && !Array.isArray(node.data) ? node.data : null;
  const prefix = base + '.';
  for (const [p, d] of ctx.sd.defs) {
    if (!p.startsWith(prefix) || p.indexOf('.', prefix.length) >= 0) continue;
    const { count, arrays } = obj ? countMembers(obj, d) : { count: 0, arrays: false };
    const name = p.slice(prefix.length).replace(/\[x\]$/, '');
    if (count < d.min) {
      ctx.out.invariants.push({ location: `${loc}.${name}`, message: `cardinality: ${d.path} has min ${d.min}, found ${count}` });
    }
    if (d.max !== '*' && count > Number(d.max)) {
      ctx.out.invariants.push({ location: `${loc}.${name}`, message: `cardinality: ${d.path} has max ${d.max}, found ${count}` });
    }
    if (d.max === '1' && arrays) {
      ctx.out.invariants.push({ location: `${loc}.${name}`, message: `cardinality: ${d.path} has max 1 but is a JSON array` });
    }
  }
}

function walkChildren(ctx, node, base, loc, depth) {
  if (depth > MAX_DEPTH) {
    ctx.out.harness.push({ location: loc, message: `nested deeper than ${MAX_DEPTH} elements: not walked further` });
    return;
  }
  let kids;
  try {
    kids = childrenOf(node, ctx.env);
  } catch (e) {
    ctx.out.harness.push({ location: loc, message: `fhirpath children(): ${e.message}` });
    return;
  }
  for (const k of kids) {
    const prop = k.propName;
    const isArray = k.index !== null && k.index !== undefined;
    let found = base !== null ? childDef(ctx.sd.defs, base, prop) : null;
    const name = found ? found.name : prop;
    const kloc = `${loc}.${name}${isArray ? `[${k.index}]` : ''}`;
    const data = k.data;
    // A resource inside this one: a contained resource, a Bundle entry's
    // resource, a Parameters resource; it is checked against its own type.
    if (data !== null && typeof data === 'object' && !Array.isArray(data) && typeof data.resourceType === 'string') {
      const inner = prop === 'contained' ? ctx.rootResource : data;
      checkResource(k, kloc, inner, ctx.out, ctx.fullUrls, depth + 1);
      continue;
    }
    const sysType = typeof k.fhirNodeDataType === 'string' && k.fhirNodeDataType.startsWith('System.');
    if (base !== null && !found) {
      ctx.out.invariants.push({ location: kloc, message: `no element ${base}.${prop} in the StructureDefinition` });
    }
    if (found) {
      const def = found.def;
      // An element defined by reference (Questionnaire.item.item is
      // "#Questionnaire.item") is an instance of the referenced element:
      // its constraints (que-1 …) hold at every depth.
      const target = def.contentReference ? ctx.sd.defs.get(basePath(def)) : null;
      if (def.contentReference && !target) {
        ctx.out.harness.push({ location: kloc, message: `${def.path}: contentReference ${def.contentReference} names no element` });
      }
      const seen = new Set();
      for (const c of [...(def.constraint || []), ...((target && target.constraint) || [])]) {
        if (c.severity !== 'error' || seen.has(c.key)) continue;
        seen.add(c.key);
        evalConstraint(c, k, kloc, ctx.env, ctx.out);
      }
      // The JSON value itself (fhirpath's node holds a number as its own
      // decimal object).
      const parent = node.data !== null && typeof node.data === 'object' ? node.data : {};
      const raw = isArray ? (Array.isArray(parent[prop]) ? parent[prop][k.index] : undefined) : parent[prop];
      checkShape(ctx, def, found, raw, kloc);
      checkReference(ctx, target || def, found, data, kloc);
      const kbase = basePath(def);
      if (hasChildDefs(ctx.sd.defs, kbase)) {
        checkCardinality(ctx, k, kbase, kloc);
        walkChildren(ctx, k, kbase, kloc, depth + 1);
      } else {
        walkChildren(ctx, k, null, kloc, depth + 1);
      }
    } else {
      // Inside a datatype: the resource's snapshot does not list these
      // elements; ele-1 (Element) and ext-1 (Extension) still apply.
      if (!sysType) evalConstraint(ele1, k, kloc, ctx.env, ctx.out);
      if (prop === 'extension' || prop === 'modifierExtension') evalConstraint(ext1, k, kloc, ctx.env, ctx.out);
      walkChildren(ctx, k, null, kloc, depth + 1);
    }
  }
}

// checkShape checks the JSON kind of an element the StructureDefinition
// types: a complex type (Period, Reference, BackboneElement …) is a JSON
// object, a primitive (string, code, boolean …) is not an object or array.
// The R4 JSON schema does not say "type": "object" for complex types, so
// it takes "effectivePeriod": "2020" for a Period; this check does not.
function checkShape(ctx, def, found, data, loc) {
  const codes = def.contentReference ? ['BackboneElement'] : found.choiceType ? [found.choiceType] : (def.type || []).map(t => t.code);
  if (codes.length === 0) return;
  const isPrimitive = c => /^[a-z]/.test(c) || c.startsWith('http://hl7.org/fhirpath/System.');
  const kinds = codes.join('|');
  if (codes.every(c => !isPrimitive(c))) {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      ctx.out.invariants.push({ location: loc, message: `${def.path} is a ${kinds}: a JSON object, not ${JSON.stringify(data)}` });
    }
  } else if (codes.every(isPrimitive)) {
    if (data !== null && typeof data === 'object') {
      ctx.out.invariants.push({ location: loc, message: `${def.path} is a ${kinds}: a JSON primitive, not ${Array.isArray(data) ? 'an array' : 'an object'}` });
    }
  }
}

const hasChildCache = new Map();
function hasChildDefs(defs, base) {
  const key = defs;
  if (!hasChildCache.has(key)) hasChildCache.set(key, new Map());
  const m = hasChildCache.get(key);
  if (!m.has(base)) {
    let has = false;
    for (const p of defs.keys()) if (p.startsWith(base + '.')) { has = true; break; }
    m.set(base, has);
  }
  return m.get(base);
}

// checkReference checks a Reference element's target type against the
// element's targetProfile: the type in "reference" (Type/id, an absolute
// URL ending Type/id, #id of a contained resource, or a Bundle entry's
// fullUrl) and in "type".
function checkReference(ctx, def, found, data, loc) {
  const refTypes = (def.type || []).filter(t => t.code === 'Reference' && (!found.choiceType || found.choiceType === 'Reference'));
  if (refTypes.length === 0 || data === null || typeof data !== 'object' || Array.isArray(data)) return;
  const targets = new Set();
  for (const t of refTypes) for (const p of t.targetProfile || []) targets.add(typeName(p));
  if (targets.size === 0 || targets.has('Resource')) return;
  const allowed = [...targets].sort().join(', ');
  if (typeof data.type === 'string' && !targets.has(data.type)) {
    ctx.out.invariants.push({ location: `${loc}.type`, message: `reference type ${data.type} is not one of ${def.path}'s targets (${allowed})` });
  }
  if (typeof data.reference !== 'string') return;
  const ref = data.reference;
  let type = null;
  if (ref.startsWith('#')) {
    type = ctx.contained.get(ref.slice(1)) || null;
    if (!type) ctx.out.notes.push({ location: `${loc}.reference`, message: `${ref}: no contained resource with that id: target type not checked` });
  } else if (ctx.fullUrls.has(ref)) {
    type = ctx.fullUrls.get(ref);
  } else {
    // [base/]Type/id[/_history/vid]
    const m = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(ref);
    if (m) type = m[1];
    else ctx.out.notes.push({ location: `${loc}.reference`, message: `${JSON.stringify(ref)}: no resource type in the reference: target type not checked` });
  }
  if (type && !targets.has(type)) {
    ctx.out.invariants.push({ location: `${loc}.reference`, message: `reference to a ${type} (${ref}) is not one of ${def.path}'s targets (${allowed})` });
  }
}

// ---- run -------------------------------------------------------------------
const report = {
  tools: { ajv: version('ajv'), fhir: version('fhir'), fhirpath: version('fhirpath'), node: process.version },
  skipped: [],
  evaluated: {},
  resources: [],
};
let bad = 0;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; // CPU ms
const times = { startup: cpu(), schema: 0, fhirjs: 0, invariants: 0 };
for (const { name, json } of inputs) {
  const r = { name, resourceType: null, schema: [], fhirjs: [], invariants: [], harness: [], notes: [] };
  report.resources.push(r);
  let doc;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    const issue = { location: '/', message: `not JSON: ${e.message}` };
    r.schema.push(issue); r.fhirjs.push(issue); r.invariants.push(issue);
    bad++;
    continue;
  }
  const rt = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc.resourceType : undefined;
  if (typeof rt !== 'string' || !Object.hasOwn(schema.discriminator.mapping, rt)) {
    const issue = { location: '/resourceType', message: `not a resource type of the schema: ${JSON.stringify(rt)}` };
    r.schema.push(issue); r.fhirjs.push(issue); r.invariants.push(issue);
    bad++;
    continue;
  }
  r.resourceType = rt;
  for (const [key, fn] of [['schema', schemaCheck], ['fhirjs', fhirjsCheck]]) {
    const t0 = cpu();
    try {
      r[key] = fn(doc, r.notes);
    } catch (e) {
      r.harness.push({ location: '', message: `${key}: ${e.stack || e.message}` });
    }
    times[key] += cpu() - t0;
  }
  const t0 = cpu();
  try {
    const out = checkInvariants(structuredClone(doc));
    r.invariants = out.invariants;
    r.harness.push(...out.harness);
    r.notes.push(...out.notes);
  } catch (e) {
    r.harness.push({ location: '', message: `invariants: ${e.stack || e.message}` });
  }
  times.invariants += cpu() - t0;
  if (r.schema.length + r.fhirjs.length + r.invariants.length + r.harness.length > 0) bad++;
}
for (const [key, reason] of SKIP) {
  report.skipped.push({ key, reason, instances: skippedCount.get(key) || 0 });
}
// CPU milliseconds (user and system, so not the machine's load): startup
// (loading the tools, the schema and the StructureDefinitions) and each
// check over all resources.
report.cpuMilliseconds = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(v)]));
for (const k of [...evaluatedCount.keys()].sort()) report.evaluated[k] = evaluatedCount.get(k);
process.stdout.write(JSON.stringify(report, null, 1) + '\n');
// exitCode, not exit(): exit() may cut stdout short when it is a pipe.
process.exitCode = bad > 0 ? 1 : 0;
