// Live-mode views built by the server's own code from the committed recordings of real
// migrations (bench/recordings-live): the recording replayed through the live predictor
// into the LiveViewBuilder, as a live watch builds it poll by poll.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LiveViewBuilder } from '../../../server/src/live/liveView';
import { parseRecordingText, replay } from '../../../server/src/live/recording';
import { isToPage, type LiveMessage } from '../../../server/src/protocol/page';
import { REPO } from '../shared';

export type RecordingName = 'seed-10.2' | 'stuck-7.2';

/**
 * `waiting`: the view a live watch shows when it starts before any migration (QEMU says
 * status none); `stuck`: the view a live watch shows just before the user applies anything (the
 * migration stuck, the recommendations offered with Apply now); `replay`: the whole
 * recording as the replay command shows it (the change applied, the migration completed).
 */
export function liveMessage(name: RecordingName, moment: 'waiting' | 'stuck' | 'replay'): LiveMessage {
  const rec = parseRecordingText(readFileSync(join(REPO, 'bench/recordings-live', `${name}.jsonl`), 'utf8'));
  const live = moment !== 'replay';
  const b = new LiveViewBuilder({
    source: live ? 'live' : 'replay',
    title: live ? `QEMU ${name.split('-')[1]} at unix:/run/vm.qmp` : `${name}.jsonl (replay)`,
    linkNote: live ? 'from the # workload: header of vm.qmp' : 'from the recording',
    intervalMs: live ? 200 : undefined,
  });
  for (const o of replay(rec)) {
    if (live && o.type === 'applied') break;
    b.observe(o);
    if (moment === 'waiting') {
      // The watch's start, then its first poll finds no migration (watch.ts).
      b.observe({ type: 'waiting', status: 'none' });
      break;
    }
  }
  const m: LiveMessage = { type: 'live', view: b.get() };
  if (!isToPage(m)) throw new Error("the live view does not pass the page's validator (server/src/protocol/page.ts)");
  return m;
}
