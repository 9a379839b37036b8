/**
 * Build-time helper for KnownErrors.astro: the errors reference page as data, from the catalog alone. Every known
 * error of every guide's steps (shared ones once), grouped under the guide whose page explains it, each with the text
 * it matches and where that text comes from: Exchange's exact wording (exchange/error-texts.ts), marked unconfirmed
 * where the facts sheet says so, or Exchange's generic form, PowerShell's or the sandbox's wording, or the runbook's
 * own report. Anchors: each entry's heading id is the known error's id; each quoted text also carries its own id
 * (`EXCHANGE_ERRORS[].id`, the page's anchors before it was generated) unless that id is already taken.
 */
import { GUIDES } from '../runbook/catalog.ts';
import type { Guide } from '../runbook/core/guide.ts';
import type { KnownError } from '../runbook/core/known-errors.ts';
import { SESSION_ERRORS } from '../runbook/exchange/connection.ts';
import { EXCHANGE_ERRORS, type ExchangeErrorText } from '../runbook/exchange/error-texts.ts';

/** One text an entry matches, with what the page says about its source. */
interface QuotedText {
  /** Anchor id of the quote, when it has one of its own. */
  anchor?: string;
  text: string;
  /** "Exact text", or what is unconfirmed about it. */
  source: string;
  /** Where the wording comes from (a capture, a reference, a field report), for quoted texts. */
  origin?: string;
  /** True when the page must call the wording unconfirmed. */
  unconfirmed: boolean;
  /** Exception type or failure category, where known. */
  type?: string;
  /** Link to the guide section that quotes this text, when it is not the entry's own link. */
  quotedAt?: string;
}

interface ErrorEntry {
  id: string;
  title: string;
  /** Empty for errors the runbook reports itself. */
  texts: QuotedText[];
  /** Said instead of a quote for errors the runbook reports itself. */
  note?: string;
  meaning: string;
  action: string;
  guide: string;
  /** The steps that can meet it, by title. */
  steps: string[];
}

export interface ErrorGroup {
  guide: Pick<Guide, 'slug' | 'title' | 'path'>;
  entries: ErrorEntry[];
}

const SOURCES = {
  generic: "Exchange's generic wording for this kind of error; the exact text for this case is unconfirmed.",
  powershell:
    "PowerShell's wording for a parameter that is too long; Exchange Online's text for this case is unconfirmed.",
  sandbox: "The sandbox's wording: how the real service words this case is unconfirmed.",
} as const;

const RUNBOOK_NOTE = 'Not an Exchange message: the runbook reports this itself when its wait runs out.';

/** The guide whose page `link` points to. */
function guideOf(link: string): Guide {
  const guide = GUIDES.find((g) => link.startsWith(g.path));
  if (!guide) throw new Error(`Known error link ${link} points to no guide in the catalog.`);
  return guide;
}

/** The errors page, guide by guide in catalog order, entries in the order the guides' steps first meet them. */
export function errorsPage(): ErrorGroup[] {
  const known = new Map<string, { error: KnownError; steps: string[] }>();
  for (const step of GUIDES.flatMap((g) => g.steps)) {
    for (const error of step.knownErrors) {
      const seen = known.get(error.id);
      if (seen && seen.error !== error) throw new Error(`Two known errors have the id "${error.id}".`);
      if (seen) seen.steps.push(step.title);
      else known.set(error.id, { error, steps: [step.title] });
    }
  }
  // Errors of the Exchange session itself: any step can meet them, whatever it runs.
  for (const error of SESSION_ERRORS) known.set(error.id, { error, steps: ['any step'] });
  const anchors = new Set<string>(GUIDES.map((g) => g.slug));
  for (const { error } of known.values()) anchors.add(error.id);
  const entry = ({ error, steps }: { error: KnownError; steps: string[] }): ErrorEntry => {
    const { id, title, meaning, action, guide } = error;
    const base = { id, title, meaning, action, guide, steps };
    const wording = error.wording;
    if ('quotes' in wording) {
      const texts = wording.quotes.map((quoteId): QuotedText => {
        const quote: ExchangeErrorText | undefined = EXCHANGE_ERRORS.find((e) => e.id === quoteId);
        if (!quote) throw new Error(`Known error ${id} quotes "${quoteId}", which exchange/error-texts.ts lacks.`);
        const anchor = anchors.has(quote.id) ? undefined : quote.id;
        if (anchor) anchors.add(anchor);
        return {
          ...(anchor ? { anchor } : {}),
          text: quote.text,
          source: quote.confirmed
            ? "Exchange's exact text."
            : `Unconfirmed: ${quote.unconfirmed ?? 'the wording is not confirmed.'}`,
          unconfirmed: !quote.confirmed,
          origin: quote.source,
          ...(quote.type ? { type: quote.type } : {}),
          ...(quote.guide !== error.guide ? { quotedAt: quote.guide } : {}),
        };
      });
      return { ...base, texts };
    }
    if (wording.source === 'runbook') return { ...base, texts: [], note: wording.note ?? RUNBOOK_NOTE };
    return {
      ...base,
      texts: [
        {
          text: wording.text,
          source: `Unconfirmed: ${SOURCES[wording.source]}`,
          unconfirmed: true,
          ...(error.type ? { type: error.type } : {}),
        },
      ],
    };
  };
  return GUIDES.map((guide) => ({
    guide: { slug: guide.slug, title: guide.title, path: guide.path },
    entries: [...known.values()].filter(({ error }) => guideOf(error.guide) === guide).map(entry),
  })).filter((group) => group.entries.length > 0);
}
