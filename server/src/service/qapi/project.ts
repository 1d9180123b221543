// PLACEHOLDER (replaced by the QAPI checker work): finds the root of a schema file and
// checks the whole include tree, caching per-file parses.
import type { Cancellation } from '../common/cancellation';
import type { FileAccess } from '../common/files';
import type { Settings } from '../common/settings';
import { resolveVersion } from '../common/versions';
import type { SchemaCheck } from './model';

export class QapiProject {
  constructor(private readonly files: FileAccess) {}

  /** The root schema `path` belongs to: the configured root, else a qapi-schema.json above that includes it, else itself. */
  rootFor(path: string, settings: Settings): string {
    return settings.schemaRoot || path;
  }

  check(root: string, settings: Settings, _token?: Cancellation): SchemaCheck {
    const version = resolveVersion(settings.qemuVersion, root, this.files);
    return {
      version, rules: version.rules, diagnostics: new Map([[root, []]]), firstError: null,
      model: {
        root, files: [root], definitions: [], byName: new Map(), typeRefs: [], includes: [],
        ifMacros: new Set(), featureNames: new Set(), expressions: new Map(),
      },
    };
  }
}
