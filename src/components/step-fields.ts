/**
 * Build-time helper for RunStep.astro: turns a step's parameter schema (as JSON Schema) into form fields with their
 * prefilled values. The browser validates the same fields with the step's own zod schema.
 */
import { z } from 'zod';
import type { StepDefinition } from '../runbook/core/step.ts';

type FieldKind = 'text' | 'list' | 'number' | 'checkbox' | 'select';

export interface Field {
  name: string;
  label: string;
  kind: FieldKind;
  value: string;
  checked: boolean;
  /** The choices of a select, or the suggestions of a text field (a datalist: any other value is allowed too). */
  options: string[];
  description: string | undefined;
  /** Leaving an optional field empty means "not set" rather than "empty string". */
  optional: boolean;
  /** What the field holds across the page (the schema's `carry`), e.g. "app-id"; see src/client/carry-forward.ts. */
  carry: string | undefined;
}

interface PropertySchema {
  type?: string;
  enum?: unknown[];
  examples?: unknown[];
  default?: unknown;
  description?: string;
  title?: string;
  items?: { type?: string };
  carry?: string;
}

// The neutral account whose suggestions fill the static page; the browser swaps in the signed-in admin's.
const PLACEHOLDER_ACCOUNT = { upn: 'admin@yourtenant.onmicrosoft.com' };

/** "memberUpn" -> "Member upn". */
function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The values the form starts with: the schema's defaults, the step's suggestions for a placeholder tenant, `values`.
 */
function initialParams(step: StepDefinition, values: Record<string, unknown> = {}): Record<string, unknown> {
  const raw = { ...step.suggestParams?.(PLACEHOLDER_ACCOUNT), ...values };
  const parsed = step.params.safeParse(raw);
  return parsed.success ? (parsed.data as Record<string, unknown>) : raw;
}

/** The static preview's parameters: the initial values, with `<field>` standing in for values nobody has chosen yet. */
export function previewParams(step: StepDefinition, values: Record<string, unknown> = {}): Record<string, unknown> {
  const params = initialParams(step, values);
  const schema = z.toJSONSchema(step.params, { io: 'input' }) as { properties?: Record<string, PropertySchema> };
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    // Defaults are not applied when a required field is still empty (the parse failed), so apply them here.
    if (params[name] === undefined && prop.default !== undefined) params[name] = prop.default;
    if (params[name] !== undefined || !(schema as { required?: string[] }).required?.includes(name)) continue;
    params[name] = prop.type === 'array' ? [`<${name}>`] : `<${name}>`;
  }
  return params;
}

/** The form fields of a step, in schema order. */
export function stepFields(step: StepDefinition, initial: Record<string, unknown> = {}): Field[] {
  const schema = z.toJSONSchema(step.params, { io: 'input' }) as {
    properties?: Record<string, PropertySchema>;
    required?: string[];
  };
  const values = initialParams(step, initial);
  return Object.entries(schema.properties ?? {}).map(([name, prop]) => {
    const kind: FieldKind = prop.enum
      ? 'select'
      : prop.type === 'boolean'
        ? 'checkbox'
        : prop.type === 'array'
          ? 'list'
          : prop.type === 'number' || prop.type === 'integer'
            ? 'number'
            : 'text';
    const value = values[name] === undefined ? prop.default : values[name];
    return {
      name,
      label: prop.title ?? humanize(name),
      kind,
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- values are strings, numbers, booleans or lists
      value: Array.isArray(value) ? value.join(', ') : value === undefined ? '' : String(value),
      checked: value === true,
      options: (prop.enum ?? prop.examples ?? []).map(String),
      description:
        kind === 'list' ? `${prop.description ?? ''} Separate several with commas.`.trim() : prop.description,
      optional: !(schema.required ?? []).includes(name) && prop.default === undefined,
      carry: prop.carry,
    };
  });
}
