// The entities of QEMU's schema.py as the semantic checks see them: types,
// commands and events (Ent), their members, branches and values (Mem), features,
// where each comes from (Info, for QEMU's error locations), and the two ways a
// check stops (SemError: a problem; Abandon: already reported).
import type { QNode } from '../model';
import { cName } from './exprs';
import type { ParsedDoc } from './docTypes';
import type { Problem, Where } from './problem';

/** Where an entity or member comes from: the expression QEMU would blame. */
export interface Info {
  path: string;
  line: number;
  defnName: string;
  defnMeta: string;
  doc?: ParsedDoc;
}

export interface Feat {
  name: string;
  ifPresent: boolean;
  at: QNode;
  info: Info;
}

/** The feature list of everything without features: one shared, never-modified array (plans are kept between checks). */
export const NO_FEATS: readonly Feat[] = [];

export interface Mem {
  name: string;
  /** The name in generated C, which is what clashes. */
  cname: string;
  role: 'member' | 'value' | 'branch' | 'feature';
  optional: boolean;
  typeName?: string;
  type?: Ent;
  ifPresent: boolean;
  features: readonly Feat[];
  definedIn: string;
  /** The member's key (or value string), for the problem's range. */
  at?: Where;
  typeAt?: QNode;
  /** Undefined only for the predefined QType's values. */
  info?: Info;
}

export interface Ent {
  name: string;
  /** built-in, enum, array, struct, union, alternate, command, event */
  meta: string;
  info?: Info;
  implicit: boolean;
  features: readonly Feat[];
  nameAt?: QNode;
  // enum
  values?: Mem[];
  // array
  elementName?: string;
  element?: Ent;
  // object
  baseName?: string;
  baseAt?: QNode;
  base?: Ent;
  local?: Mem[];
  members?: Mem[];
  tagName?: string;
  tagAt?: QNode;
  variants?: Mem[];
  /** Branches as written; a check adds implicit empty ones after them. */
  variantCount?: number;
  state?: 'checking' | 'done' | 'failed';
  // command/event
  argName?: string;
  argAt?: QNode;
  retName?: string;
  retAt?: QNode;
  boxed?: boolean;
  /** The doc connection of a definition, from an earlier check. */
  connected?: Connected;
}

export class SemError {
  constructor(
    readonly info: Info | undefined,
    readonly message: string,
    readonly code: string,
    readonly at?: Where,
    readonly data?: Record<string, unknown>,
    readonly related?: Problem['related'],
  ) {}
}

/** Already reported (a dependency failed): stop checking the current entity without a new problem. */
export class Abandon {}

export function describeEnt(e: Ent): string {
  if (e.meta === 'array') return `array type ['${e.elementName}']`;
  if (e.meta === 'command' || e.meta === 'event') return `${e.meta} '${e.name}'`;
  return `${e.meta} type '${e.name}'`;
}

/** A member as QEMU names it in messages, seen from the definition `ctx` being checked. */
export function describeMem(m: Mem, ctx: string): string {
  let role: string = m.role;
  let meta = 'type';
  let definedIn = m.definedIn;
  if (definedIn.startsWith('q_obj_')) {
    definedIn = definedIn.slice(6);
    if (definedIn.endsWith('-arg')) {
      role = 'parameter';
      meta = 'command';
      definedIn = definedIn.slice(0, -4);
    } else if (definedIn.endsWith('-base')) {
      role = 'base ' + role;
      definedIn = definedIn.slice(0, -5);
    }
  }
  return definedIn !== ctx ? `${role} '${m.name}' of ${meta} '${definedIn}'` : `${role} '${m.name}'`;
}

/** Clears what a previous check left on a reused entity. */
export function resetEnt(e: Ent): void {
  e.state = undefined;
  e.members = undefined;
  e.base = undefined;
  e.element = undefined;
  if (e.variants) {
    e.variants.length = e.variantCount!;
    for (const v of e.variants) v.type = undefined;
  }
  if (e.local) for (const m of e.local) m.type = undefined;
}

export function newMem(name: string, role: Mem['role'], definedIn: string, at: Where | undefined, info?: Info): Mem {
  return { name, cname: cName(name), role, optional: false, ifPresent: false, features: NO_FEATS, definedIn, at, info };
}

/**
 * What a definition's doc got connected to. It depends only on the definition's plan
 * and doc and on whether members must be documented, so it is kept on the entity and
 * reused by later checks, as is the finding that the doc documents nothing unknown.
 */
export interface Connected {
  args: Set<string>;
  features: Set<string>;
  mustDocument: boolean;
  docChecked: boolean;
}

/** The entities defined so far, by name and in definition order. */
export interface Registry {
  readonly byName: ReadonlyMap<string, Ent>;
  readonly ents: readonly Ent[];
}
