/**
 * OPATH recipient filters, as management scopes take them (`New-ManagementScope -RecipientRestrictionFilter`): a
 * parser that refuses what Exchange would refuse (with a message that says where and why), and an evaluator the
 * sandbox uses to decide which mailboxes a scope holds. Only the part of OPATH a scope for applications needs:
 * comparisons with -eq -ne -like -notlike, joined by -and -or -not and parentheses, on an allow-list of properties.
 */

/** Recipient properties a scope filter may use here (a subset of Exchange's filterable recipient properties). */
const FILTER_PROPERTIES = [
  'Alias',
  'City',
  'Company',
  'CountryOrRegion',
  'CustomAttribute1',
  'CustomAttribute2',
  'CustomAttribute3',
  'CustomAttribute4',
  'CustomAttribute5',
  'CustomAttribute6',
  'CustomAttribute7',
  'CustomAttribute8',
  'CustomAttribute9',
  'CustomAttribute10',
  'CustomAttribute11',
  'CustomAttribute12',
  'CustomAttribute13',
  'CustomAttribute14',
  'CustomAttribute15',
  'Department',
  'DisplayName',
  'Name',
  'Office',
  'PrimarySmtpAddress',
  'RecipientType',
  'RecipientTypeDetails',
  'StateOrProvince',
  'Title',
  'UserPrincipalName',
] as const;

const COMPARISONS = ['-eq', '-ne', '-like', '-notlike'] as const;
const OPERATORS = [...COMPARISONS, '-and', '-or', '-not'] as const;
type Comparison = (typeof COMPARISONS)[number];

export type FilterNode =
  | { kind: 'compare'; property: string; op: Comparison; value: string | null }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode };

/** A filter Exchange would refuse: `message` says what is wrong and where (1-based character position). */
export class FilterSyntaxError extends Error {
  override name = 'FilterSyntaxError';
}

type Token =
  | { t: 'op'; v: string; at: number }
  | { t: 'word'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: '(' | ')'; at: number };

/** Splits a filter into tokens; an unclosed quote or a stray character is a FilterSyntaxError. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) i++;
    else if (ch === '(' || ch === ')') tokens.push({ t: ch, at: i++ });
    else if (ch === "'" || ch === '"') {
      // Inside quotes, the quote character doubled stands for itself, as in PowerShell.
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length)
          throw new FilterSyntaxError(`has an unbalanced quote: the ${ch} at character ${i + 1} is never closed`);
        if (text[j] === ch && text[j + 1] === ch) {
          value += ch;
          j += 2;
        } else if (text[j] === ch) break;
        else value += text[j++];
      }
      tokens.push({ t: 'string', v: value, at: i });
      i = j + 1;
    } else if (ch === '-') {
      const word = /^-[A-Za-z]*/.exec(text.slice(i))![0];
      const op = word.toLowerCase();
      if (!(OPERATORS as readonly string[]).includes(op)) {
        throw new FilterSyntaxError(
          `uses the unknown operator "${word}" at character ${i + 1} (known: ${OPERATORS.join(' ')})`,
        );
      }
      tokens.push({ t: 'op', v: op, at: i });
      i += word.length;
    } else {
      const word = /^[^\s()'"]+/.exec(text.slice(i))![0];
      tokens.push({ t: 'word', v: word, at: i });
      i += word.length;
    }
  }
  return tokens;
}

/** Parses an OPATH recipient filter, or throws a FilterSyntaxError saying what is wrong. */
export function parseFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const where = (token: Token | undefined) => (token ? `at character ${token.at + 1}` : 'at the end');
  const describe = (token: Token | undefined): string => {
    if (!token) return 'the end of the filter';
    if (token.t === 'string') return `'${token.v}'`;
    return `"${'v' in token ? token.v : token.t}"`;
  };

  const takeOp = (op: string): boolean => {
    const token = peek();
    if (token?.t !== 'op' || token.v !== op) return false;
    pos++;
    return true;
  };

  const orExpr = (): FilterNode => {
    let node = andExpr();
    while (takeOp('-or')) node = { kind: 'or', left: node, right: andExpr() };
    return node;
  };
  const andExpr = (): FilterNode => {
    let node = unary();
    while (takeOp('-and')) node = { kind: 'and', left: node, right: unary() };
    return node;
  };
  const unary = (): FilterNode => {
    if (takeOp('-not')) return { kind: 'not', operand: unary() };
    const token = peek();
    if (token?.t === '(') {
      pos++;
      const node = orExpr();
      if (peek()?.t !== ')')
        throw new FilterSyntaxError(
          `has an unbalanced parenthesis: the "(" at character ${token.at + 1} is never closed`,
        );
      pos++;
      return node;
    }
    return comparison();
  };
  const comparison = (): FilterNode => {
    const prop = tokens[pos++];
    if (prop?.t !== 'word')
      throw new FilterSyntaxError(`expects a property name ${where(prop)}, found ${describe(prop)}`);
    const property = FILTER_PROPERTIES.find((p) => p.toLowerCase() === prop.v.toLowerCase());
    if (!property)
      throw new FilterSyntaxError(
        `uses the property "${prop.v}" at character ${prop.at + 1}, which is not a recipient property a scope can filter on here`,
      );
    const op = tokens[pos++];
    if (op?.t !== 'op' || !(COMPARISONS as readonly string[]).includes(op.v)) {
      throw new FilterSyntaxError(
        `expects a comparison (${COMPARISONS.join(' ')}) after ${property} ${where(op)}, found ${describe(op)}`,
      );
    }
    const value = tokens[pos++];
    if (value?.t === 'string') return { kind: 'compare', property, op: op.v as Comparison, value: value.v };
    if (value?.t === 'word' && value.v.toLowerCase() === '$null')
      return { kind: 'compare', property, op: op.v as Comparison, value: null };
    if (value?.t === 'word' && !value.v.startsWith('$'))
      return { kind: 'compare', property, op: op.v as Comparison, value: value.v };
    throw new FilterSyntaxError(
      `expects a value ('quoted text' or $null) after ${property} ${op.v} ${where(value)}, found ${describe(value)}`,
    );
  };

  if (!tokens.length) throw new FilterSyntaxError('is empty');
  const node = orExpr();
  const rest = peek();
  if (rest?.t === ')')
    throw new FilterSyntaxError(
      `has an unbalanced parenthesis: the ")" at character ${rest.at + 1} has no matching "("`,
    );
  if (rest) throw new FilterSyntaxError(`expects -and or -or ${where(rest)}, found ${describe(rest)}`);
  return node;
}

/** The problem with `text` as a scope filter (a sentence fragment after the field name), or undefined when valid. */
export function filterProblem(text: string): string | undefined {
  try {
    parseFilter(text);
    return undefined;
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error.message;
    throw error;
  }
}

/** True when `value` matches a -like pattern: `*` is any run of characters, case-insensitive. */
function like(value: string, pattern: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*');
  return new RegExp(`^${source}$`, 'i').test(value);
}

/**
 * Whether a recipient matches `node`. `read` gives a property's value ('' or undefined when not set); comparisons are
 * case-insensitive like Exchange's, and `-eq $null` holds for an unset property.
 */
export function matchesFilter(node: FilterNode, read: (property: string) => string | undefined): boolean {
  switch (node.kind) {
    case 'and':
      return matchesFilter(node.left, read) && matchesFilter(node.right, read);
    case 'or':
      return matchesFilter(node.left, read) || matchesFilter(node.right, read);
    case 'not':
      return !matchesFilter(node.operand, read);
    case 'compare': {
      const actual = read(node.property) ?? '';
      const equal = node.value === null ? actual === '' : actual.toLowerCase() === node.value.toLowerCase();
      if (node.op === '-eq') return equal;
      if (node.op === '-ne') return !equal;
      const matched = node.value === null ? actual === '' : like(actual, node.value);
      return node.op === '-like' ? matched : !matched;
    }
  }
}
