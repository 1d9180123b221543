// Builds a QEMU tree's C index with worker threads (cIndexWorker.ts): they list (the
// first hands the files over as it walks), read and scan the files; this thread only
// stores their compact results, a chunk of files per message (well under a millisecond
// each), so a request or a QAPI re-check never waits behind the index. Chunks are
// merged in order, so the index is the same as one built in a single pass. Without the
// worker script (or when a worker fails) the rest is indexed here in time-bounded slices.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CIdentifierIndex } from '../service/csource/cIndex';
import type { QemuTree } from '../service/csource/qemuTree';
import type { FromWorker, ToWorker } from './cIndexWorker';

export interface WorkerBuildOptions {
  /** The worker script (default: dist/cindex.js beside this bundle, or the .ts source under tsx). */
  script?: string;
  /** Worker threads (default: one per core, at most 4). */
  workers?: number;
  /** Files per message. */
  chunk?: number;
  log?: (message: string) => void;
  /** Called after each merge on this thread with its duration (benchmarks). */
  onMerge?: (ms: number) => void;
}

/** The worker script, or undefined when none is found. */
export function workerScript(): string | undefined {
  for (const f of [join(__dirname, 'cindex.js'), join(__dirname, 'cIndexWorker.ts')]) if (existsSync(f)) return f;
  return undefined;
}

/**
 * A `buildIndex` for the C source service: starts the build of `index` for `tree` and
 * calls `finish` when it is complete; false when no worker script is found. `fallback`
 * builds it in slices on this thread (a worker failed before listing the tree).
 */
export function workerIndexBuilder(options: WorkerBuildOptions = {}) {
  return (tree: QemuTree, index: CIdentifierIndex, finish: (how: string) => void, fallback: () => void): boolean => {
    const script = options.script ?? workerScript();
    if (!script) return false;
    const count = Math.max(1, Math.min(4, options.workers ?? availableParallelism()));
    const chunk = options.chunk ?? 48;
    const workers: Worker[] = [];
    const spaces: number[] = [];
    const chunks: string[][] = [];
    let listed: string[] = [];
    let listingDone = false;
    const inFlight: number[] = [];
    let handedOut = 0;
    let merged = 0;
    const ready = new Map<number, { w: number; r: Extract<FromWorker, { seq: number }> }>();
    let stopped = false;

    const threads = () => `${workers.length} worker thread${workers.length === 1 ? '' : 's'}`;
    const stop = () => {
      stopped = true;
      for (const w of workers) void w.terminate();
    };
    /** Two chunks in flight per worker: one being scanned, one waiting. */
    const handOut = () => {
      for (let k = 0; k < 2; k++)
        for (let w = 0; w < workers.length && handedOut < chunks.length; w++)
          if (inFlight[w] < 2) {
            inFlight[w]++;
            workers[w].postMessage({ seq: handedOut, paths: chunks[handedOut++] } satisfies ToWorker);
          }
    };
    const complete = () => {
      if (!listingDone || merged < chunks.length) return;
      stop();
      finish(threads());
    };
    const merge = (w: number, r: Extract<FromWorker, { seq: number }>) => {
      const pairs = r.pairs;
      let start = 0;
      for (let i = 0; i < r.paths.length; i++) {
        const end = r.ends[i];
        // A file indexed meanwhile from the editor or a change on disk is newer than this read.
        if (!index.has(r.paths[i])) {
          if (r.sizes[i] >= 0) index.addScanned(r.paths[i], pairs.subarray(start, end), r.sizes[i], spaces[w]);
        }
        start = end;
      }
    };
    const failed = (why: string) => {
      if (stopped) return;
      stop();
      options.log?.(`C index worker failed (${why}); indexing the rest on the main thread`);
      if (!listingDone) return fallback();
      const rest = chunks.slice(merged).flat();
      index.enqueue(rest.filter((p) => !index.has(p)));
      const run = () => (index.step(4) ? finish('partly on the main thread: a worker failed') : setImmediate(run));
      setImmediate(run);
    };

    const onMessage = (w: number, m: FromWorker) => {
      if (stopped) return;
      const t0 = performance.now();
      if ('listed' in m) {
        listed = listed.concat(m.listed);
        listingDone = m.done;
        while (listed.length >= chunk || (listingDone && listed.length)) chunks.push(listed.splice(0, chunk));
        handOut();
      } else {
        inFlight[w]--;
        index.addNames(spaces[w], m.firstName, m.names, m.nameCount);
        ready.set(m.seq, { w, r: m });
        handOut();
        for (let next = ready.get(merged); next; next = ready.get(merged)) {
          ready.delete(merged++);
          merge(next.w, next.r);
        }
      }
      complete();
      options.onMerge?.(performance.now() - t0);
    };

    for (let i = 0; i < count; i++) {
      let w: Worker;
      try {
        // From the sources (tests under tsx) the worker loads its TypeScript through tsx too.
        w = script.endsWith('.ts') ? new Worker(`require('tsx/cjs');require(${JSON.stringify(script)})`, { eval: true }) : new Worker(script);
      } catch {
        if (i === 0) return false;
        break;
      }
      workers.push(w);
      inFlight.push(0);
      spaces.push(index.newSpace());
      w.on('message', (m: FromWorker) => onMessage(i, m));
      w.on('error', (e) => failed(String(e)));
      w.on('exit', (code) => {
        if (!stopped) failed(`exit ${code}`);
      });
    }
    workers[0].postMessage({ list: tree, batch: chunk } satisfies ToWorker);
    return true;
  };
}
