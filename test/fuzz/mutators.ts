// Document generators for fuzzing the language service: real seeds (our examples,
// QEMU's schemas from ../shared when present) mutated the ways editing and corrupt
// files break them. Deterministic for a given fast-check seed.
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, sharedDir } from '../helpers/shared';

function readJsonFiles(dir: string, limit = 60): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') || f.endsWith('.qmp'))
    .sort()
    .slice(0, limit)
    .map((f) => readFileSync(join(dir, f), 'utf8'));
}

/** QAPI seeds: our examples, plus QEMU's real schemas and test cases when ../shared is there. */
export function qapiSeeds(): string[] {
  const seeds = readJsonFiles(join(REPO, 'examples', 'qapi'));
  const shared = join(sharedDir(), 'qemu');
  seeds.push(...readJsonFiles(join(shared, 'schemas', 'v10.2.0', 'qapi'), 12).map((s) => s.slice(0, 20000)));
  seeds.push(...readJsonFiles(join(shared, 'qapi-tests'), 40));
  return seeds;
}

/** QMP seeds: one of each format, plus our example scripts. */
export function qmpSeeds(): string[] {
  const inline = [
    '{ "execute": "qmp_capabilities" }\n{ "execute": "migrate-set-parameters", "arguments": { "downtime-limit": 300, "avail-switchover-bandwidth": 1250000000 } }\n',
    "-> { 'execute': 'migrate-set-capabilities', 'arguments': { 'capabilities': [ { 'capability': 'auto-converge', 'state': true } ] } }\n<- { 'return': {} }\n",
    '-> { "execute": "query-migrate" }\n<- { "return": { "status": "active", "ram": { "transferred": 123, ... } } }\n',
    'migrate-set-parameters downtime-limit=300 max-bandwidth=134217728\ntransaction(\n  block-dirty-bitmap-add node=drive0 name=bitmap0\n)\n',
    '# qemu: 8.2\nmigrate_set_parameter avail-switchover-bandwidth 10G\nmigrate_set_capability auto-converge on\ninfo migrate\n',
  ];
  const dir = join(REPO, 'examples', 'qmp');
  return [...inline, ...readJsonFiles(dir)];
}

const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  "'",
  '"',
  '#',
  '##',
  '\n',
  '\t',
  '\r\n',
  '\\',
  '\u0000',
  '\ud800',
  '\uffff',
  "'data'",
  "'enum'",
  "'struct'",
  "'include'",
  "'if'",
  "'features'",
  'true',
  'false',
  '->',
  '<-',
  '...',
  '=',
  '.',
  "'*x'",
  '@',
  'Since:',
  '# @name:',
  'execute',
  '"arguments"',
  '-1',
  '18446744073709551616',
  '1G',
  'null',
];

export type Mutation =
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; at: number; len: number }
  | { kind: 'swapLines'; a: number; b: number }
  | { kind: 'longName'; at: number; len: number };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 })),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('longName' as const), at: fc.nat(), len: fc.integer({ min: 100, max: 20000 }) }),
);

export function applyMutation(text: string, m: Mutation): string {
  const n = text.length;
  switch (m.kind) {
    case 'delete': {
      const at = m.at % (n + 1);
      return text.slice(0, at) + text.slice(at + m.len);
    }
    case 'insert': {
      const at = m.at % (n + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'duplicate': {
      const at = m.at % (n + 1);
      return text.slice(0, at) + text.slice(at, at + m.len) + text.slice(at);
    }
    case 'swapLines': {
      const lines = text.split('\n');
      const a = m.a % lines.length,
        b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
    case 'longName': {
      const at = m.at % (n + 1);
      return text.slice(0, at) + 'x'.repeat(m.len) + text.slice(at);
    }
  }
}

/** A seed with 1-8 mutations applied. */
export function mutatedDocArb(seeds: string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutationArb, { minLength: 1, maxLength: 8 })).map(([seed, ms]) => ms.reduce(applyMutation, seed));
}
