// Our reading of qmp-shell lines against qmp-shell's own: QEMU's qmp_shell.py of 7.2
// and 10.2 (../shared/qemu/python-qmp, run by Debian's python3 through
// test/helpers/qmp_shell_oracle.py, one process per version) builds every line, and
// our parser must send the same message, or refuse the same lines.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pythonFloatRepr } from '../../server/src/service/qmp/script/pyValue';
import { parseScript } from '../../server/src/service/qmp/script/parse';
import type { JValue } from '../../server/src/service/qmp/script/value';
import { REPO, sharedQemu } from '../helpers/shared';

const PYTHON = '/usr/bin/python3';
const ORACLE = join(REPO, 'test', 'helpers', 'qmp_shell_oracle.py');

type Tagged = unknown[];
type Answer = ['none'] | ['send', Tagged] | ['error' | 'crash' | 'unsendable', string];

function oracle(version: string, lines: string[]): Answer[] {
  const pkg = sharedQemu(`python-qmp/${version}`);
  const r = spawnSync(PYTHON, [ORACLE], {
    input: JSON.stringify(lines),
    env: { ...process.env, PYTHONPATH: pkg.path },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`qmp-shell oracle failed: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout) as Answer[];
}

function tag(v: JValue): Tagged {
  switch (v.kind) {
    case 'number':
      return v.integer ? ['i', BigInt(v.text).toString()] : ['f', pythonFloatRepr(v.value)];
    case 'string':
      return ['s', v.value];
    case 'bool':
      return ['b', v.value];
    case 'null':
      return ['n'];
    case 'array':
      return ['a', v.items.map(tag)];
    case 'object': {
      const entries = v.entries.map((e) => [e.key, tag(e.value)]);
      return ['o', entries];
    }
    default:
      return ['elided'];
  }
}

/** Our answer per line: the message a statement ending on it sends, a refusal, or nothing. */
function ours(lines: string[]): Answer[] {
  const script = parseScript(lines.join('\n'));
  const lineOf = (offset: number) => {
    let l = 0;
    while (l + 1 < script.lineStarts.length && script.lineStarts[l + 1] <= offset) l++;
    return l;
  };
  const out: Answer[] = lines.map(() => ['none']);
  for (const st of script.statements) {
    const t = tag(st.value) as ['o', [string, Tagged][]];
    // qmp-shell always sends "arguments", {} when there are none.
    if (!t[1].some(([k]) => k === 'arguments')) t[1].push(['arguments', ['o', []]]);
    out[lineOf(st.span.end)] = ['send', t];
  }
  for (const p of script.problems) out[lineOf(p.start)] = ['error', p.message];
  return out;
}

/** Python sends inf/nan as Infinity/NaN, which QEMU's JSON parser refuses: we must refuse the line. */
const nonFinite = (t: unknown): boolean => Array.isArray(t) && ((t[0] === 'f' && /inf|nan/.test(String(t[1]))) || t.some(nonFinite));

function agree(py: Answer, our: Answer): boolean {
  if (py[0] === 'send' && nonFinite(py[1])) return our[0] === 'error';
  if (py[0] === 'error' || py[0] === 'crash' || py[0] === 'unsendable') return our[0] === 'error';
  return JSON.stringify(py) === JSON.stringify(our);
}

// ---- lines: hand-picked corners, then generated ones ----

const COMMANDS = ['query-status', 'blockdev-add', 'migrate-set-parameters', 'x', 'q_1', 'cmd.x', 'transaction', 'ÿ', 'a=b'];
const KEYS = ['a', 'b', 'c', 'a.b', 'a.b.c', 'b.c', 'node-name', 'file.driver', 'file.filename', '"q"', "'k'", 'a..b', '', 'x.'];
const SAFE_VALUES = [
  '0',
  '-0',
  '+7',
  '007',
  '1_000',
  '1__0',
  '_1',
  '1_',
  '9223372036854775808',
  '-18446744073709551617',
  '١٢',
  '٣_٤',
  '0x10',
  '1e5',
  '0.5',
  '.5',
  '1.',
  'true',
  'TRUE',
  'False',
  'tRuE',
  'yes',
  'null',
  'None',
  'abc',
  'a=b',
  "'quoted'",
  '"dq"',
  "'a b'",
  'x"y',
  "it's",
  'a\\"b',
  '1G',
  '',
  '{',
  '[x',
  '{"a":',
  '{}',
  '[]',
  '[1,2]',
  '{"a":1}',
  '{"a":1,"a":2}',
  '[1,2,]',
  '{"a":[1,{"b":null}]}',
  '[1.5,2e3,-0.0]',
  '[true,false,null]',
  '{"x":"a b"}',
  '["a\\"b"]',
  '[1e-7]',
  '[123456789012345678901234567890]',
  '[0.1]',
  '[1E+2]',
  '[1e16]',
  '[12345678.9]',
  "['a','b']",
  "{'a':True}",
  "{'a':None,'b':null}",
  '(1,2)',
  '[(1,2)]',
  '{1:2}',
  "{1:'a',True:'b'}",
  '{1.5:2}',
  '{None:1}',
  '[1,2][0]',
  '[-1]',
  '[--1]',
  '[-(1)]',
  '[+1.5]',
  '[0x1F]',
  '[0o17]',
  '[0b101]',
  '[1_000]',
  '[01]',
  '[00]',
  "[r'a\\n']",
  "['\\x41\\u0042']",
  "[u'x']",
  "[f'x']",
  "['a''b']",
  '[{}]',
  "{'a':[1,2,],}",
  '[1]#c',
  '[true]',
  '[-true]',
  '[nan]',
  '[1,',
  "{'a'",
  '[1.e5]',
  '[1__0]',
  '[.5]',
  "['a\\'b']",
  '["a\'b"]',
  '[()]',
  '[(1,)]',
  "{'a':(1,[2])}",
  '[1if]',
  '[a]',
  '[-0x10]',
  '["a" \'b\']',
  '[{"a":1,}]',
  '["\\u00e9"]',
  '[1e999999]',
  '{"a":NaN}',
  "['\\t\\101']",
  '[True,False,None]',
  '["x"]#',
  "['''a''']",
];
/** Values qmp-shell reads but cannot send, or fails on (kept out of transactions: there the failure surfaces at the closing line). */
const BAD_VALUES = ['[{1,2}]', '[set()]', "[b'x']", '[1j]', '[1+2j]', '{(1,2):3}', '{[1]:2}', '[1e400]', '[NaN]', '[-Infinity]', "[{'a':{1}}]", '{(1,[2]):3}'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function generate(n: number, seed: number): string[] {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const args = (values: string[]) => {
    const words: string[] = [];
    const count = Math.floor(r() * 5);
    for (let i = 0; i < count; i++) {
      const roll = r();
      if (roll < 0.04)
        words.push(pick(SAFE_VALUES.filter((v) => !v.includes('='))) || 'word'); // no '=': refused
      else if (roll < 0.1 && words.length)
        words.push(words[words.length - 1]); // the same key again
      else words.push(`${pick(KEYS)}=${pick(values)}`);
    }
    return words;
  };
  const lines: string[] = [];
  while (lines.length < n) {
    if (r() < 0.15) {
      // A transaction, opened alone or with a first action, closed alone, with an action, or with trailing words.
      lines.push(r() < 0.5 ? 'transaction(' : ['transaction(', pick(COMMANDS), ...args(SAFE_VALUES)].join(' '));
      const actions = Math.floor(r() * 3);
      for (let i = 0; i < actions; i++) lines.push([pick(COMMANDS), ...args(SAFE_VALUES)].join(' '));
      const close = r();
      lines.push(close < 0.4 ? ')' : close < 0.8 ? [pick(COMMANDS), ...args(SAFE_VALUES), ')'].join(' ') : ') extra');
      continue;
    }
    lines.push([pick(COMMANDS), ...args(r() < 0.85 ? SAFE_VALUES : BAD_VALUES)].join(r() < 0.9 ? ' ' : '  '));
  }
  // Close whatever is open (a line ")" outside a transaction is a command named ")": the same in both).
  lines.push(')');
  return lines;
}

const CORNERS = [
  'query-status',
  'blockdev-add a.b=1 c=2 d.e=3 f=4',
  'x "a b"=1 y=١٢',
  'q k={"a": 1}',
  'q a.b=1 a=2',
  'q a=1 a.b=2',
  'q a={"x":1} a.y=2',
  'q a={"x":1} a.x=2',
  'q a.b=1 b=2 b=3',
  'q a="unclosed',
  "q a='x\\'y",
  'q a="x\\"y z\\" w',
  'q "a b',
  'q a=1 "',
  'q a="\\"',
  'q k=v\u00a0w=1',
  'q k=v\u2028w=2',
  'q k=v\u001cw=3',
  'q k=v\ufeffw',
  'transaction( )',
  'transaction(',
  'x a=1',
  'transaction(',
  'y b=2 )',
  'transaction( z c=3 )',
  'transaction(',
  'bad word',
  'ok a=1',
  ') x',
  'transaction(',
  'transaction( a',
  ')',
  ')',
];

for (const version of ['v7.2.0', 'v10.2.0']) {
  const pkg = sharedQemu(`python-qmp/${version}/qemu/qmp/qmp_shell.py`);
  const skip = !existsSync(PYTHON) ? `${PYTHON} not found (apt-get install python3)` : pkg.skip;
  test(`qmp-shell lines read as QEMU ${version}'s qmp_shell.py reads them (corners and 1,500 generated lines)`, { skip }, () => {
    const lines = [...CORNERS, ...generate(1500, version === 'v7.2.0' ? 72 : 102)];
    const py = oracle(version, lines);
    const our = ours(lines);
    const diffs: string[] = [];
    lines.forEach((l, i) => {
      if (!agree(py[i], our[i]))
        diffs.push(`line ${i + 1}: ${JSON.stringify(l)}\n  qmp-shell: ${JSON.stringify(py[i])}\n  ours:      ${JSON.stringify(our[i])}`);
    });
    assert.equal(py.length, lines.length);
    // The test must exercise each kind of answer.
    for (const kind of ['none', 'send', 'error', 'crash', 'unsendable'])
      assert.ok(
        py.some((a) => a[0] === kind),
        `no line got ${kind}`,
      );
    assert.deepEqual(diffs.slice(0, 20), [], `${diffs.length} of ${lines.length} lines read differently`);
  });
}
