// Expression checks, in QEMU's order (its expr.py): the shape of each definition,
// allowed keys, names, `if` conditions, features and flags. Works on one expression
// at a time; an expression with an error is left out of the semantic checks (its
// name is still known, so its uses are not reported as unknown).
import type { DefKind, QNode, QObject } from '../model';
import { get, metasOf } from './definitions';
import { type Problem, rangeAt, rangeOf, type Where } from './problem';
import type { QapiRules } from './rules';
import type { DocSection } from './docTypes';
import type { Pragmas, SourceExpr } from './traverse';
import { memoSlot } from './memo';

/** QEMU's c_name() without keyword protection: what generated C code calls a name. */
export function cName(name: string): string {
  // Runs for every member twice per check: scan first, as most names are fine or have only '-'.
  let dashes = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) continue;
    if (c !== 45) return name.replace(/[^A-Za-z0-9_]/g, '_');
    dashes = true;
  }
  return dashes ? name.replaceAll('-', '_') : name;
}

const VALID_NAME = /^(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)$/i;

class ExprError {
  /** `line` (1-based) overrides the expression's line: doc problems are reported at the doc line. */
  line?: number;
  /** `at` undefined: the expression's first token. */
  constructor(
    readonly message: string,
    readonly code: string,
    readonly at?: Where,
    readonly data?: Record<string, unknown>,
  ) {}
}

function docFail(message: string, code: string, section: { line: { line: number; offset: number; lineStart: number; text: string } }): never {
  const l = section.line;
  const err = new ExprError(message, code, rangeAt(l.line, l.offset - l.lineStart, l.offset - l.lineStart + l.text.length));
  err.line = l.line + 1;
  throw err;
}

const fail = (message: string, code: string, at?: Where, data?: Record<string, unknown>): never => {
  throw new ExprError(message, code, at, data);
};

const quoted = (keys: Iterable<string>) =>
  [...keys]
    .sort()
    .map((k) => `'${k}'`)
    .join(', ');

function checkNameIsStr(n: QNode | undefined, source: string, at: Where | undefined): asserts n is Extract<QNode, { kind: 'string' }> {
  if (n?.kind !== 'string') fail(`${source} requires a string name`, 'name-not-string', n ?? at);
}

/** Returns the name's stem (without `__RFQDN_` and `x-` prefixes). */
function checkNameStr(name: string, source: string, at: Where | undefined): string {
  const m = VALID_NAME.exec(name);
  if (!m || cName(name).startsWith('q_')) {
    fail(`${source} has an invalid name: use letters, digits, '-' and '_', starting with a letter ('q_' is reserved)`, 'invalid-name', at);
  }
  return m![3];
}

function checkNameUpper(name: string, source: string, at: Where | undefined): void {
  if (/[a-z-]/.test(checkNameStr(name, source, at))) fail(`name of ${source} must not use lowercase or '-'`, 'name-case', at);
}

function checkNameLower(name: string, source: string, at: Where | undefined, permitUpper = false, permitUnderscore = false): void {
  const stem = checkNameStr(name, source, at);
  if ((!permitUpper && /[A-Z]/.test(stem)) || (!permitUnderscore && stem.includes('_'))) {
    fail(`name of ${source} must not use uppercase or '_'`, 'name-case', at);
  }
}

function checkNameCamel(name: string, source: string, at: Where | undefined): void {
  if (!/^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(checkNameStr(name, source, at))) {
    fail(`name of ${source} must use CamelCase`, 'name-case', at);
  }
}

function checkKeys(o: QObject, source: string, required: string[], optional: string[], at: Where | undefined): void {
  // Allocation-free when all is well: this runs for every member of every definition.
  let ok = true;
  for (const k of required) if (!get(o, k)) ok = false;
  for (const e of o.entries) if (!required.includes(e.key) && !optional.includes(e.key)) ok = false;
  if (ok) return;
  const have = new Set(o.entries.map((e) => e.key));
  const missing = required.filter((k) => !have.has(k));
  if (missing.length) {
    fail(`${source} misses key${missing.length > 1 ? 's' : ''} ${quoted(missing)}`, 'missing-key', at, { missingKeys: missing });
  }
  const allowed = new Set([...required, ...optional]);
  const unknown = o.entries.filter((e) => !allowed.has(e.key));
  fail(
    `${source} has unknown key${unknown.length > 1 ? 's' : ''} ${quoted(unknown.map((e) => e.key))}; valid keys are ${quoted(allowed)}`,
    'unknown-key',
    unknown[0],
    { unknownKeys: unknown.map((e) => e.key), validKeys: [...allowed].sort() },
  );
}

function checkIf(o: QObject, source: string): void {
  const cond = get(o, 'if');
  if (!cond) return;
  // Explicit stack: 'not' can nest arbitrarily deep.
  const todo: QNode[] = [cond];
  while (todo.length) {
    const c = todo.pop()!;
    if (c.kind === 'string') {
      if (!/^[A-Z][A-Z0-9_]*$/.test(c.value)) {
        fail(`'if' condition '${c.value}' of ${source} is not a valid identifier (use an upper-case macro name)`, 'invalid-if', c);
      }
      continue;
    }
    if (c.kind !== 'object') fail(`'if' condition of ${source} must be a string or an object`, 'invalid-if', c);
    const obj = c as QObject;
    checkKeys(obj, `'if' condition of ${source}`, [], ['all', 'any', 'not'], obj);
    if (obj.entries.length !== 1) fail(`'if' condition of ${source} has conflicting keys: use only one of 'all', 'any', 'not'`, 'invalid-if', obj);
    const e = obj.entries[0];
    if (e.key === 'not') {
      todo.push(e.value);
      continue;
    }
    if (e.value.kind !== 'array') fail(`'${e.key}' condition of ${source} must be an array`, 'invalid-if', e.value);
    const items = (e.value as Extract<QNode, { kind: 'array' }>).items;
    if (!items.length) fail(`'if' condition [] of ${source} is useless: the list is empty`, 'invalid-if', e.value);
    for (let i = items.length - 1; i >= 0; i--) todo.push(items[i]);
  }
}

function checkFeatures(n: QNode | undefined): void {
  if (!n) return;
  if (n.kind !== 'array') fail("'features' must be an array", 'invalid-features', n);
  for (const f of (n as Extract<QNode, { kind: 'array' }>).items) {
    const source = "'features' member";
    if (f.kind === 'object') {
      checkKeys(f, source, ['name'], ['if'], f);
      const name = get(f, 'name');
      checkNameIsStr(name, source, f);
      checkNameLower(name.value, `${source} '${name.value}'`, name);
      checkIf(f, `${source} '${name.value}'`);
    } else {
      checkNameIsStr(f, source, f);
      checkNameLower(f.value, `${source} '${f.value}'`, f);
    }
  }
}

/**
 * Checks a member value in long form ({ 'type': ..., 'if': ..., 'features': ... }) and
 * returns its type; the short form (just the type) needs no key checks.
 */
function memberType(v: QNode, source: string, at: Where | undefined, optional: string[]): QNode | undefined {
  if (v.kind !== 'object') return v;
  checkKeys(v, source, ['type'], optional, at);
  checkIf(v, source);
  if (optional.includes('features')) checkFeatures(get(v, 'features'));
  return get(v, 'type');
}

interface TypeOpts {
  allowArray?: boolean;
  allowDict?: boolean | string;
}

function checkType(v: QNode | undefined, source: string, pragmas: Pragmas, opts: TypeOpts = {}): void {
  if (!v || v.kind === 'string') return;
  if (v.kind === 'array') {
    if (!opts.allowArray) fail(`${source} cannot be an array`, 'invalid-type', v);
    if (v.items.length !== 1 || v.items[0].kind !== 'string') fail(`${source}: an array type must contain a single type name`, 'invalid-type', v);
    return;
  }
  if (!opts.allowDict) fail(`${source} should be a type name`, 'invalid-type', v);
  if (v.kind !== 'object') fail(`${source} should be an object or type name`, 'invalid-type', v);
  const permissive = typeof opts.allowDict === 'string' && pragmas.memberNameExceptions.has(opts.allowDict);
  for (const e of (v as QObject).entries) {
    const keySource = `${source} member '${e.key}'`;
    const key = e.key.startsWith('*') ? e.key.slice(1) : e.key;
    checkNameLower(key, keySource, e, permissive, permissive);
    const c = cName(key);
    if (c === 'u' || c.startsWith('has_')) fail(`${keySource} uses a reserved name ('u' and 'has_*' are reserved)`, 'reserved-name', e);
    checkType(memberType(e.value, keySource, e, ['if', 'features']), keySource, pragmas, { allowArray: true });
  }
}

function checkEnum(o: QObject, name: string, pragmas: Pragmas): void {
  const data = get(o, 'data')!;
  const prefix = get(o, 'prefix');
  if (data.kind !== 'array') fail("'data' must be an array", 'invalid-data', data);
  if (prefix && prefix.kind !== 'string') fail("'prefix' must be a string", 'invalid-prefix', prefix);
  const permissive = pragmas.memberNameExceptions.has(name);
  for (const m of (data as Extract<QNode, { kind: 'array' }>).items) {
    const source = "'data' member";
    if (m.kind === 'object') checkKeys(m, source, ['name'], ['if', 'features'], m);
    const mn = m.kind === 'object' ? get(m, 'name') : m;
    checkNameIsStr(mn, source, m);
    const s = `${source} '${mn.value}'`;
    // Enum values may start with a digit.
    checkNameLower(/^[0-9]/.test(mn.value) ? 'd' + mn.value : mn.value, s, mn, permissive, permissive);
    if (m.kind === 'object') {
      checkIf(m, s);
      checkFeatures(get(m, 'features'));
    }
  }
}

function checkUnion(o: QObject, name: string, pragmas: Pragmas, rules: QapiRules): void {
  const base = get(o, 'base')!;
  const disc = get(o, 'discriminator')!;
  const data = get(o, 'data')!;
  checkType(base, "'base'", pragmas, { allowDict: name });
  checkNameIsStr(disc, "'discriminator'", disc);
  if (data.kind !== 'object') fail("'data' must be an object", 'invalid-data', data);
  for (const e of (data as QObject).entries) {
    const source = `'data' member '${e.key}'`;
    checkType(memberType(e.value, source, e, ['if']), source, pragmas, { allowArray: rules.checks80 && !truthy(base) });
  }
}

function checkAlternate(o: QObject, pragmas: Pragmas): void {
  const data = get(o, 'data')!;
  if (
    (data.kind === 'object' && !data.entries.length) ||
    (data.kind === 'array' && !data.items.length) ||
    (data.kind === 'string' && !data.value) ||
    (data.kind === 'bool' && !data.value)
  ) {
    fail("'data' must not be empty", 'invalid-data', data);
  }
  if (data.kind !== 'object') fail("'data' must be an object", 'invalid-data', data);
  for (const e of (data as QObject).entries) {
    const source = `'data' member '${e.key}'`;
    checkNameLower(e.key, source, e);
    checkType(memberType(e.value, source, e, ['if']), source, pragmas, { allowArray: true });
  }
}

function checkCommandOrEvent(o: QObject, meta: 'command' | 'event', pragmas: Pragmas): void {
  const data = get(o, 'data');
  const boxed = get(o, 'boxed');
  const isBoxed = boxed !== undefined && truthy(boxed);
  if (isBoxed && !data) fail("'boxed': true requires 'data'", 'boxed-without-data', boxed);
  checkType(data, "'data'", pragmas, { allowDict: !isBoxed });
  if (meta === 'command') checkType(get(o, 'returns'), "'returns'", pragmas, { allowArray: true });
}

/** Python truthiness of a parsed value. */
function truthy(n: QNode): boolean {
  switch (n.kind) {
    case 'bool':
      return n.value;
    case 'string':
      return n.value !== '';
    case 'array':
      return n.items.length > 0;
    case 'object':
      return n.entries.length > 0;
  }
}

function checkFlags(o: QObject): void {
  for (const key of ['gen', 'success-response']) {
    const v = get(o, key);
    if (v && !(v.kind === 'bool' && !v.value)) fail(`flag '${key}' may only use false value`, 'invalid-flag', v);
  }
  for (const key of ['boxed', 'allow-oob', 'allow-preconfig', 'coroutine']) {
    const v = get(o, key);
    if (v && !(v.kind === 'bool' && v.value)) fail(`flag '${key}' may only use true value`, 'invalid-flag', v);
  }
  if (get(o, 'allow-oob') && get(o, 'coroutine')) fail("flags 'allow-oob' and 'coroutine' are incompatible", 'incompatible-flags', o);
}

/** Keys each definition kind requires (its own key first) and allows; completion offers the same lists. */
export const DEFINITION_KEYS: Record<DefKind, readonly [required: string[], optional: string[]]> = {
  enum: [
    ['enum', 'data'],
    ['prefix', 'if', 'features'],
  ],
  struct: [
    ['struct', 'data'],
    ['base', 'if', 'features'],
  ],
  union: [
    ['union', 'base', 'discriminator', 'data'],
    ['if', 'features'],
  ],
  alternate: [
    ['alternate', 'data'],
    ['if', 'features'],
  ],
  command: [['command'], ['data', 'returns', 'boxed', 'gen', 'success-response', 'allow-oob', 'allow-preconfig', 'coroutine', 'if', 'features']],
  event: [['event'], ['data', 'boxed', 'if', 'features']],
};

export interface CheckedExpr extends SourceExpr {
  meta: DefKind;
  name: string;
}

export type ExprResult = { ok: CheckedExpr } | { problem: Problem; brokenName?: string };

/** What the result of an expression check depends on besides the expression. */
export function pragmaKey(p: Pragmas): string {
  return [p.docRequired, ...[p.commandNameExceptions, p.memberNameExceptions, p.documentationExceptions].map((s) => [...s].join(','))].join('|');
}

/** The expression check, for the rules, pragmas and doc it was made with. */
const CHECK = memoSlot<{ rules: QapiRules; pragmaKey: string; doc: SourceExpr['doc']; result: ExprResult }>();

/** Checks every definition expression; returns those that passed and adds problems for the others. */
export function checkExprs(exprs: SourceExpr[], pragmas: Pragmas, rules: QapiRules, problems: Problem[], brokenNames: Set<string>): CheckedExpr[] {
  const ok: CheckedExpr[] = [];
  const key = pragmaKey(pragmas);
  for (const e of exprs) {
    // The result is kept while the expression is unchanged, for the rules, pragmas and doc it was computed with.
    let hit = e.memo.get(CHECK);
    if (!hit || hit.rules !== rules || hit.pragmaKey !== key || hit.doc !== e.doc) {
      hit = e.memo.set(CHECK, { rules, pragmaKey: key, doc: e.doc, result: checkExpr(e, pragmas, rules) });
    }
    const r = hit.result;
    if ('ok' in r) ok.push(r.ok);
    else {
      problems.push(r.problem);
      if (r.brokenName) brokenNames.add(r.brokenName);
    }
  }
  return ok;
}

function checkExpr(e: SourceExpr, pragmas: Pragmas, rules: QapiRules): ExprResult {
  const o = e.node;
  let name: string | undefined;
  try {
    const metas = metasOf(o);
    if (metas.length !== 1) {
      fail("an expression must have exactly one of the keys 'enum', 'struct', 'union', 'alternate', 'command', 'event'", 'invalid-expression');
    }
    const meta = metas[0];
    const nameNode = get(o, meta);
    checkNameIsStr(nameNode, `'${meta}'`, undefined);
    name = nameNode.value;
    checkDefinition(e, o, meta, name, nameNode, pragmas, rules);
    return { ok: { path: e.path, node: o, line: e.line, doc: e.doc, memo: e.memo, meta, name } };
  } catch (err) {
    if (!(err instanceof ExprError)) throw err;
    const path = err.line !== undefined && e.doc ? e.doc.path : e.path;
    // Without a better place, the problem is at the expression's first token.
    const range = err.at ? rangeOf(err.at) : rangeAt(e.line, o.range.start.character, o.range.start.character + 1);
    return {
      problem: { path, range, code: err.code, message: err.message, line: err.line ?? e.line + 1, data: err.data },
      brokenName: name,
    };
  }
}

function checkDefinition(e: SourceExpr, o: QObject, meta: DefKind, name: string, nameAt: Where, pragmas: Pragmas, rules: QapiRules): void {
  if (meta === 'event') checkNameUpper(name, meta, nameAt);
  else if (meta === 'command') checkNameLower(name, meta, nameAt, false, pragmas.commandNameExceptions.has(name));
  else {
    checkNameCamel(name, meta, nameAt);
    if (name.endsWith('List')) fail(`${meta} name should not end in 'List' (reserved for array types)`, 'reserved-name', nameAt);
  }
  const doc = e.doc;
  if (doc) {
    if (doc.symbol !== name) {
      fail(`the documentation comment is for '${doc.symbol}', not '${name}'`, 'doc-wrong-symbol', doc.symbolRange ?? nameAt);
    }
    // 7.2-8.2 blame the doc comment's first line, 9.0+ the section.
    const at = (s: DocSection) => (rules.oldDocParser ? { line: doc.block.open } : s);
    if (meta === 'command') {
      if (rules.errorsTag && doc.returns && !get(o, 'returns'))
        docFail("'Returns' section, but the command doesn't return anything", 'doc-returns-without-returns', doc.returns);
    } else {
      if (doc.returns) docFail("a 'Returns' section is only valid for commands", 'doc-returns-not-command', at(doc.returns));
      // 9.0 blames 'Errors' at the 'Returns' section (and crashes without one).
      if (doc.errors)
        docFail(
          "an 'Errors' section is only valid for commands",
          'doc-errors-not-command',
          rules.errorsBlamesReturns && doc.returns ? doc.returns : doc.errors,
        );
    }
  } else if (pragmas.docRequired) {
    fail('documentation comment required (pragma doc-required)', 'doc-required', nameAt);
  }
  const [required, optional] = DEFINITION_KEYS[meta];
  checkKeys(o, meta, required, optional, nameAt);
  switch (meta) {
    case 'enum':
      checkEnum(o, name, pragmas);
      break;
    case 'union':
      checkUnion(o, name, pragmas, rules);
      break;
    case 'alternate':
      checkAlternate(o, pragmas);
      break;
    case 'struct': {
      // A struct's 'data' must be an object: 8.1+ say so here; 7.2/8.0 let a type name through and crash later.
      const data = get(o, 'data');
      if (data?.kind === 'string') fail("'data' should be an object or type name", 'invalid-type', data);
      checkType(data, "'data'", pragmas, { allowDict: name });
      checkType(get(o, 'base'), "'base'", pragmas);
      break;
    }
    case 'command':
    case 'event':
      checkCommandOrEvent(o, meta, pragmas);
      break;
  }
  checkIf(o, meta);
  checkFeatures(get(o, 'features'));
  checkFlags(o);
}
