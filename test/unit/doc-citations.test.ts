// What comments cite is in the repository: every document a comment names exists (from the
// repository root), none lives outside it (../shared is QEMU's data, not our docs), and a
// cited section (`§1.4`) is a heading of that document.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers/shared';

const ROOTS = ['server', 'client', 'webview', 'test', 'bench', 'scripts'];

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures' || name === 'workspace') return [];
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mjs|cjs)$/.test(name) ? [p] : [];
  });
}

interface Citation {
  where: string;
  doc: string;
  sections: string[];
}

/** Citations in comments: a `.md` path, optionally followed by `§N.M` marks. */
function citations(): Citation[] {
  const out: Citation[] = [];
  for (const f of ROOTS.flatMap((r) => files(join(REPO, r)))) {
    readFileSync(f, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const comment = /(?:\/\/|^\s*\*|\/\*)(.*)$/.exec(line)?.[1];
        if (!comment) return;
        for (const m of comment.matchAll(/((?:\.\.\/)*[\w./-]*\w\.md)\b((?:[\s,]*§[\d.]+)*)/g)) {
          out.push({ where: `${relative(REPO, f)}:${i + 1}`, doc: m[1], sections: [...m[2].matchAll(/§([\d.]*\d)/g)].map((s) => s[1]) });
        }
      });
  }
  return out;
}

test('every document a comment cites is in the repository, with the cited sections', () => {
  const found = citations();
  assert.ok(
    found.some((c) => c.doc === 'docs/migration-model.md' && c.sections.length),
    "the scan finds the simulator's citations",
  );
  const problems: string[] = [];
  for (const c of found) {
    if (c.doc.startsWith('../')) {
      problems.push(`${c.where}: ${c.doc} is outside the repository`);
      continue;
    }
    const path = join(REPO, c.doc);
    if (!existsSync(path)) {
      problems.push(`${c.where}: ${c.doc} does not exist (write it under docs/)`);
      continue;
    }
    const headings = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('#'));
    for (const s of c.sections) {
      // `### 1.5 – 1.9 …` covers the sections between.
      const covered = headings.some((h) => {
        const m = /^#+\s+([\d.]+)\.?(?:\s+–\s+([\d.]+))?\s/.exec(h);
        if (!m) return false;
        if (m[1].replace(/\.$/, '') === s) return true;
        const [lo, hi] = [m[1], m[2]].map((x) => x && Number(x));
        return hi !== undefined && Number(s) >= (lo as number) && Number(s) <= (hi as number);
      });
      if (!covered) problems.push(`${c.where}: ${c.doc} has no section §${s}`);
    }
  }
  assert.deepEqual(problems, []);
});
