/**
 * Values travel between the step forms of a page. A field the admin types in fills the other steps' fields that
 * hold the same thing (the same `data-carry`, from the catalog's `carry`): the Application (client) ID typed once
 * serves register, assign, verify and remove. A step whose form is complete fills its undo step's form with what the
 * undo needs (the role assignment name the product derived, the scope it created). A field the admin typed in is
 * theirs: nothing overwrites it. On the sandbox, a form can take the tenant's practice values in one click.
 */
type Field = HTMLInputElement | HTMLSelectElement;

/** Marks `input` as the admin's own: carried values no longer replace what they typed. */
export function markEdited(input: Field): void {
  input.dataset.edited = '';
}

/** Sets `input` to `value` unless the admin typed in it, and lets its step react (validate, preview, probe). */
function offer(input: Field, value: string): void {
  if ('edited' in input.dataset || input.value === value) return;
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Fills every other step's field on the page that holds the same thing as `source`. */
export function carry(source: Field): void {
  const what = source.dataset.carry;
  if (!what) return;
  for (const input of document.querySelectorAll<HTMLInputElement>(
    `runbook-step input[data-carry="${CSS.escape(what)}"]`,
  )) {
    if (input !== source && input.form !== source.form) offer(input, source.value);
  }
}

/** Fills the form of step `stepId`, when the page has it, with `params` (e.g. an undo step's derived parameters). */
export function fillStep(stepId: string, params: Record<string, unknown>): void {
  const form = document.querySelector(`runbook-step[data-step="${CSS.escape(stepId)}"] [data-form]`);
  for (const [name, value] of Object.entries(params)) {
    const input = form?.querySelector<HTMLInputElement>(`[name="${CSS.escape(name)}"]`);
    if (!input) continue;
    if (Array.isArray(value)) offer(input, value.join(', '));
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      offer(input, String(value));
  }
}

/** The fields of `form` that `values` (keyed by `carry`) has a value for. */
export function practiceFields(form: HTMLFormElement, values: Record<string, string> | undefined): Field[] {
  if (!values) return [];
  return [...form.querySelectorAll<HTMLInputElement>('input[data-carry]')].filter(
    (input) => values[input.dataset.carry!] !== undefined,
  );
}

/** Puts the sandbox's practice values into `form` (as if typed), and carries them to the other steps. */
export function usePracticeValues(form: HTMLFormElement, values: Record<string, string>): void {
  for (const input of practiceFields(form, values)) {
    input.value = values[input.dataset.carry!]!;
    markEdited(input);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    carry(input);
  }
}
