// Runs a QMP corpus against a freshly spawned QEMU and records what it answers, plus
// what a differential test needs beside: the QEMU's own `query-qmp-schema` (written to
// the caller's temporary directory, never into the repository) and the migration
// parameters and capabilities before and after, to show the corpus leaves QEMU as it
// found it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusEntry } from './corpus72';
import { QmpProcess, type QmpReply } from './qmpProcess';

export interface Recording {
  /** QEMU's version as its greeting states it, e.g. "7.2". */
  version: string;
  /** Path of the saved `query-qmp-schema` reply (a JSON array, as QEMU returns it). */
  schemaFile: string;
  /** The corpus as one script: command i on line i. */
  script: string;
  /** QEMU's answer to each corpus command, in order. */
  answers: QmpReply[];
  before: { parameters: unknown; capabilities: unknown };
  after: { parameters: unknown; capabilities: unknown };
}

/** The text of each command with `@DIR@` replaced by the caller's directory. */
export function corpusLines(corpus: CorpusEntry[], dir: string): string[] {
  return corpus.map((e) => e.send.replaceAll('@DIR@', dir));
}

/** Records QEMU's answers to `corpus`; `dir` is a temporary directory the caller owns. */
export async function recordCorpus(corpus: CorpusEntry[], dir: string): Promise<Recording> {
  // One QEMU for the schema and the starting state: the corpus itself starts in
  // negotiation mode with its own qmp_capabilities.
  const probe = await QmpProcess.startNegotiated();
  let schemaFile: string;
  let before: Recording['before'];
  let version: string;
  try {
    version = greetingVersion(probe.greeting);
    schemaFile = join(dir, 'query-qmp-schema.json');
    writeFileSync(schemaFile, JSON.stringify(await probe.execute('query-qmp-schema'), null, 1));
    before = await migrationState(probe);
  } finally {
    await probe.quit();
  }

  const lines = corpusLines(corpus, dir);
  const qemu = await QmpProcess.start();
  const answers: QmpReply[] = [];
  let after: Recording['after'];
  try {
    for (let i = 0; i < corpus.length; i++) {
      answers.push(await qemu.send(lines[i]));
      if (corpus[i].settle) await waitMigrationEnd(qemu);
    }
    after = await migrationState(qemu);
  } finally {
    await qemu.quit();
  }
  return { version, schemaFile, script: lines.join('\n') + '\n', answers, before, after };
}

async function migrationState(qmp: QmpProcess): Promise<{ parameters: unknown; capabilities: unknown }> {
  return {
    parameters: await qmp.execute('query-migrate-parameters'),
    capabilities: await qmp.execute('query-migrate-capabilities'),
  };
}

/** Polls query-migrate until the migration has left its setup/active states (bounded). */
async function waitMigrationEnd(qmp: QmpProcess): Promise<void> {
  const ended = new Set(['none', 'completed', 'failed', 'cancelled']);
  for (let attempt = 0; attempt < 400; attempt++) {
    const info = (await qmp.execute('query-migrate')) as { status?: string };
    if (ended.has(info.status ?? 'none')) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the migration started by the corpus did not end within 10 s');
}

function greetingVersion(greeting: unknown): string {
  const q = (greeting as { version?: { qemu?: { major?: number; minor?: number } } })?.version?.qemu;
  return q ? `${q.major}.${q.minor}` : 'unknown';
}
