// One analysis per document version and settings: the parsed script, the schema
// chosen for it and the check results. Validation, hover, completion, code lenses
// and migrationInputsAt all read the same one.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAccess } from '../common/files';
import { uriToPath } from '../common/paths';
import type { Settings } from '../common/settings';
import type { QapiLanguage } from '../qapi/index';
import { checkScript, type ScriptCheck } from './check/index';
import { chooseSchema, type SchemaChoice } from './schema/select';
import { scriptOf, type Script } from './script/parse';

export interface Analysis {
  script: Script;
  choice: SchemaChoice;
  check: ScriptCheck;
}

/**
 * `fresh` (validation) looks at the schema files again; hover, completion and the
 * other features reuse the last analysis of the same document version, so a
 * keystroke costs no file reads (the server re-validates when a schema file changes).
 */
export function createAnalyzer(files: FileAccess, qapi: QapiLanguage): (doc: TextDocument, settings: Settings, fresh?: boolean) => Analysis {
  const cache = new WeakMap<TextDocument, { version: number; key: string; analysis: Analysis }>();
  return (doc, settings, fresh = false) => {
    const key = `${settings.qemuVersion}\0${settings.schemaRoot}\0${settings.introspectionFile}`;
    const hit = cache.get(doc);
    if (!fresh && hit && hit.version === doc.version && hit.key === key) return hit.analysis;
    const script = scriptOf(doc);
    // The schema files may have changed since: choosing is cheap (each source caches on the file text).
    const choice = chooseSchema(files, qapi, uriToPath(doc.uri), settings, script.header.version?.text);
    if (hit && hit.version === doc.version && hit.key === key && hit.analysis.choice.schema === choice.schema) return hit.analysis;
    const analysis = { script, choice, check: checkScript(script, choice.schema) };
    cache.set(doc, { version: doc.version, key, analysis });
    return analysis;
  };
}
