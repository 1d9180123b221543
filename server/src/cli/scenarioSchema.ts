// Checks a scenario file against schemas/scenario.schema.json — the same file VS Code
// validates and completes scenario files with — before the simulator reads it, and turns
// the first violation into one sentence naming the field (`guest.ramBytes must be ...`).
// Ajv because it implements JSON Schema fully and is the validator the ecosystem trusts;
// a hand-written subset would drift from what VS Code enforces.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../../schemas/scenario.schema.json';

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, verbose: true });
  // VS Code's own schema keywords: messages and rich descriptions for the editor.
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'markdownDescription', schemaType: 'string' });
  return (compiled = ajv.compile(schema));
}

export type SchemaVerdict = { ok: true } | { ok: false; field: string; message: string };

export function checkScenarioSchema(data: unknown): SchemaVerdict {
  const validate = validator();
  if (validate(data)) return { ok: true };
  const e = validate.errors![0];
  return explain(e, data);
}

/** `/guest/ramBytes` -> `guest.ramBytes`; `/downtimeSteps/0/atSeconds` -> `downtimeSteps[0].atSeconds`. */
function fieldOf(path: string): string {
  let out = '';
  for (const part of path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}

function valueAt(data: unknown, path: string): unknown {
  let v = data;
  for (const part of path.split('/').slice(1)) v = (v as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return v;
}

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const article = (type: string) =>
  ({ object: 'an object', array: 'a list', integer: 'a whole number', number: 'a number', string: 'a string', boolean: 'true or false', null: 'null' })[type] ??
  type;

function explain(e: ErrorObject, data: unknown): { ok: false; field: string; message: string } {
  const field = fieldOf(e.instancePath) || 'scenario';
  const got = `got ${describe(valueAt(data, e.instancePath))}`;
  const p = e.params as Record<string, unknown>;
  const say = (f: string, message: string) => ({ ok: false as const, field: f, message });
  switch (e.keyword) {
    case 'required': {
      const f = field === 'scenario' ? String(p.missingProperty) : `${field}.${p.missingProperty}`;
      return say(f, `${f} is missing (required)`);
    }
    case 'additionalProperties': {
      const f = field === 'scenario' ? String(p.additionalProperty) : `${field}.${p.additionalProperty}`;
      const known = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {}).filter((k) => k !== '$schema');
      return say(f, `${f} is not a scenario field (known here: ${known.join(', ')})`);
    }
    case 'type': {
      const types = ([] as string[]).concat(p.type as string | string[]).map(article);
      return say(field, `${field} must be ${types.join(' or ')}, ${got}`);
    }
    case 'exclusiveMinimum':
      return say(field, p.limit === 0 ? `${field} must be a positive number, ${got}` : `${field} must be above ${p.limit}, ${got}`);
    case 'minimum':
      return say(field, `${field} must be at least ${p.limit}, ${got}`);
    case 'maximum':
      return say(field, `${field} must be at most ${p.limit}, ${got}`);
    case 'enum':
      return say(field, `${field} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, ${got}`);
    case 'pattern': {
      const hint = (e.parentSchema as { patternErrorMessage?: string })?.patternErrorMessage;
      return say(field, `${field} must be ${hint ?? `of the form ${p.pattern}`}, ${got}`);
    }
    default:
      return say(field, `${field} ${e.message ?? 'is not valid'}, ${got}`);
  }
}
