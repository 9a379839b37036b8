/**
 * PowerShell parameter binding for simulated cmdlets: names match case-insensitively or by unambiguous prefix,
 * common parameters and their aliases are accepted, values are converted or refused with pwsh's own wording.
 */
import type { CmdletValue } from '../../src/runbook/core/cmdlets.ts';
import { CmdletError, exoErrors } from './errors.ts';

type ParamType = 'string' | 'string[]' | 'switch' | 'bool' | 'int' | 'any';
interface ParamSpec {
  type: ParamType;
  mandatory?: boolean;
  /** The maximum of ValidateLength on a string parameter (an empty mandatory string fails before it applies). */
  maxLength?: number;
}
export interface CmdletSignature {
  name: string;
  params: Record<string, ParamSpec>;
  /** SupportsShouldProcess: the cmdlet also takes -WhatIf and -Confirm. */
  shouldProcess?: boolean;
}
/** Bound parameters by their declared names; string[] parameters always hold arrays. */
export type Bound = Record<string, CmdletValue>;

const COMMON: Record<string, ParamSpec> = {
  Verbose: { type: 'switch' },
  Debug: { type: 'switch' },
  ErrorAction: { type: 'any' },
  WarningAction: { type: 'any' },
  InformationAction: { type: 'any' },
  ProgressAction: { type: 'any' },
  ErrorVariable: { type: 'any' },
  WarningVariable: { type: 'any' },
  InformationVariable: { type: 'any' },
  OutVariable: { type: 'any' },
  OutBuffer: { type: 'int' },
  PipelineVariable: { type: 'any' },
};
const SHOULD_PROCESS: Record<string, ParamSpec> = { WhatIf: { type: 'switch' }, Confirm: { type: 'switch' } };
const ALIASES: Record<string, string> = {
  vb: 'Verbose',
  db: 'Debug',
  ea: 'ErrorAction',
  wa: 'WarningAction',
  infa: 'InformationAction',
  proga: 'ProgressAction',
  ev: 'ErrorVariable',
  wv: 'WarningVariable',
  iv: 'InformationVariable',
  ov: 'OutVariable',
  ob: 'OutBuffer',
  pv: 'PipelineVariable',
  wi: 'WhatIf',
  cf: 'Confirm',
};

/** Binds raw parameters to `sig` as pwsh would, or throws a CmdletError with pwsh's binding error. */
export function bind(sig: CmdletSignature, raw: Record<string, CmdletValue>): Bound {
  const specs: Record<string, ParamSpec> = { ...sig.params, ...COMMON, ...(sig.shouldProcess ? SHOULD_PROCESS : {}) };
  const bound: Bound = {};
  for (const [given, value] of Object.entries(raw)) {
    const name = resolveName(sig.name, Object.keys(specs), given);
    if (name in bound) throw new CmdletError(exoErrors.alreadyBound(sig.name, name));
    bound[name] = convert(sig.name, name, specs[name]!, value);
  }
  const missing = Object.entries(sig.params)
    .filter(([name, spec]) => spec.mandatory && !(name in bound))
    .map(([name]) => name);
  if (missing.length) throw new CmdletError(exoErrors.missingMandatory(sig.name, missing));
  return bound;
}

/** The declared name `given` refers to: exact (any case), an alias, or the one name it is a prefix of. */
function resolveName(cmdlet: string, names: string[], given: string): string {
  const lower = given.toLowerCase();
  const exact = names.find((n) => n.toLowerCase() === lower);
  if (exact) return exact;
  const alias = Object.entries(ALIASES).find(([a, target]) => a === lower && names.includes(target));
  if (alias) return alias[1];
  const prefixed = names.filter((n) => n.toLowerCase().startsWith(lower));
  if (prefixed.length === 1 && given.length > 0) return prefixed[0]!;
  if (prefixed.length > 1 && given.length > 0)
    throw new CmdletError(exoErrors.parameterAmbiguous(cmdlet, given, prefixed));
  throw new CmdletError(exoErrors.parameterNotFound(cmdlet, given));
}

/** Converts one value to the parameter's type, validating lengths. */
function convert(cmdlet: string, name: string, spec: ParamSpec, value: CmdletValue): CmdletValue {
  switch (spec.type) {
    case 'any':
      return value;
    case 'switch':
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      throw new CmdletError(
        exoErrors.cannotConvert(
          cmdlet,
          name,
          `Cannot convert value "${Array.isArray(value) ? 'System.Object[]' : 'System.String'}" to type "${spec.type === 'switch' ? 'System.Management.Automation.SwitchParameter' : 'System.Boolean'}". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`,
        ),
      );
    case 'int': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)
            ? Number(value)
            : NaN;
      if (Number.isInteger(n)) return n;
      throw new CmdletError(
        exoErrors.cannotConvert(
          cmdlet,
          name,
          `Cannot convert value "${String(value)}" to type "System.Int32". Error: "The input string '${String(value)}' was not in a correct format."`,
        ),
      );
    }
    case 'string[]': {
      const list = Array.isArray(value) ? value : value === null ? [] : [String(value)];
      for (const item of list) checkLength(cmdlet, name, spec, item);
      return list;
    }
    case 'string': {
      if (Array.isArray(value))
        throw new CmdletError(exoErrors.cannotConvert(cmdlet, name, 'Cannot convert value to type System.String.'));
      const text = value === null ? '' : typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
      if (text === '' && spec.mandatory) throw new CmdletError(exoErrors.emptyString(cmdlet, name));
      checkLength(cmdlet, name, spec, text);
      return text;
    }
  }
}

/** Applies ValidateLength's maximum to one string. */
function checkLength(cmdlet: string, name: string, spec: ParamSpec, text: string): void {
  if (spec.maxLength !== undefined && text.length > spec.maxLength)
    throw new CmdletError(exoErrors.tooLong(cmdlet, name, text.length, spec.maxLength));
}
