// The C changes of the avail-switchover-bandwidth patch (../shared/seed) as they stand
// in QEMU's 8.2 and 10.2 trees, each as a pattern matching exactly the lines it added, so
// a test can take one away and expect the wiring check to name exactly that place.
// (The seed's options.h enum and MigrationParameter_string lines never reached QEMU:
// those are generated from the schema. Its migration.h comment and trace-events line
// are not wiring.) Also the later migrate_params_test_apply place, which the trees have.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SeedHunk {
  id: string;
  file: string;
  /** Matches exactly the hunk's lines in both trees. */
  lines: RegExp;
  /** The expected warning names this. */
  expect: RegExp;
  /** What the hunk's lines become (default: nothing). */
  replacement?: string;
}

export const SEED_HUNKS: SeedHunk[] = [
  {
    id: 'options.c property',
    file: 'migration/options.c',
    lines: / {4}DEFINE_PROP_SIZE\("avail-switchover-bandwidth", MigrationState,\n\s+parameters\.avail_switchover_bandwidth, 0\),\n/,
    expect: /missing from migration_properties in migration\/options\.c/,
  },
  {
    id: 'options.c getter',
    file: 'migration/options.c',
    lines: /uint64_t migrate_avail_switchover_bandwidth\(void\)\n\{\n[^}]*\}\n\n/,
    expect: /migrate_avail_switchover_bandwidth\(\) is not defined in migration\/options\.c \(it is declared in migration\/options\.h\)/,
  },
  {
    id: 'options.c query',
    file: 'migration/options.c',
    lines: / {4}params->has_avail_switchover_bandwidth = true;\n {4}params->avail_switchover_bandwidth = s->parameters\.avail_switchover_bandwidth;\n/,
    expect: /missing from qmp_query_migrate_parameters\(\) in migration\/options\.c/,
  },
  {
    id: 'options.c check',
    file: 'migration/options.c',
    lines: / {4}if \(params->has_avail_switchover_bandwidth &&\n[^}]*\}\n\n/,
    expect: /missing from migrate_params_check\(\) in migration\/options\.c/,
  },
  {
    id: 'options.c apply',
    file: 'migration/options.c',
    lines:
      / {4}if \(params->has_avail_switchover_bandwidth\) \{\n {8}s->parameters\.avail_switchover_bandwidth = params->avail_switchover_bandwidth;\n {4}\}\n\n/,
    expect: /missing from migrate_params_apply\(\) in migration\/options\.c/,
  },
  {
    id: 'options.c test_apply (after the seed)',
    file: 'migration/options.c',
    lines: / {4}if \(params->has_avail_switchover_bandwidth\) \{\n {8}dest->avail_switchover_bandwidth = params->avail_switchover_bandwidth;\n {4}\}\n\n/,
    expect: /missing from migrate_params_test_apply\(\) in migration\/options\.c/,
  },
  {
    id: 'options.h getter declaration',
    file: 'migration/options.h',
    lines: /uint64_t migrate_avail_switchover_bandwidth\(void\);\n/,
    expect: /migrate_avail_switchover_bandwidth\(\) is defined in migration\/options\.c but declared in none of/,
  },
  {
    id: 'migration-hmp-cmds.c info',
    file: 'migration/migration-hmp-cmds.c',
    lines: / {8}assert\(params->has_avail_switchover_bandwidth\);\n[^;]*;\n/,
    expect: /missing from hmp_info_migrate_parameters\(\) in migration\/migration-hmp-cmds\.c/,
  },
  {
    id: 'migration-hmp-cmds.c set',
    file: 'migration/migration-hmp-cmds.c',
    lines: / {4}case MIGRATION_PARAMETER_AVAIL_SWITCHOVER_BANDWIDTH:\n[\s\S]*?p->avail_switchover_bandwidth = valuebw;\n {8}break;\n/,
    expect: /missing from hmp_migrate_set_parameter\(\) in migration\/migration-hmp-cmds\.c/,
  },
  {
    id: 'migration.c use',
    file: 'migration/migration.c',
    lines: /switchover_bw = migrate_avail_switchover_bandwidth\(\);/,
    replacement: 'switchover_bw = 0;',
    expect: /migrate_avail_switchover_bandwidth\(\) is never called in migration\/ outside migration\/options\.c/,
  },
];

/** The file's text with the hunk taken out; throws unless the hunk matches exactly once. */
export function withoutHunk(treeRoot: string, hunk: SeedHunk): { path: string; text: string } {
  const path = join(treeRoot, hunk.file);
  const text = readFileSync(path, 'utf8');
  const all = new RegExp(hunk.lines.source, 'g');
  const count = text.match(all)?.length ?? 0;
  if (count !== 1) throw new Error(`${hunk.id}: expected the hunk once in ${path}, found ${count}`);
  return { path, text: text.replace(hunk.lines, hunk.replacement ?? '') };
}
