/**
 * Texts name steps by their titles in quotes (“Enable organization customization”); on the page each such name
 * becomes a link to the step's card: on this page when the card is here, else on the page of the guide that has it.
 */
import { GUIDES } from '../runbook/catalog.ts';

// Each step's title and where its card is, from the catalog's guides.
const CARDS = new Map(
  GUIDES.flatMap((guide) => guide.steps.map((step) => [step.title, { id: step.id, path: guide.path }] as const)),
);

/** `text` as nodes, with every quoted step title linked to its card. */
export function withStepLinks(text: string): Array<Node | string> {
  const nodes: Array<Node | string> = [];
  let rest = 0;
  for (const match of text.matchAll(/“([^”]+)”/g)) {
    const card = CARDS.get(match[1]!);
    if (!card) continue;
    const link = document.createElement('a');
    const here = document.getElementById(`run-${card.id}`);
    link.href = here ? `#run-${card.id}` : `${card.path}#run-${card.id}`;
    link.textContent = match[1]!;
    nodes.push(text.slice(rest, match.index), '“', link, '”');
    rest = match.index + match[0].length;
  }
  nodes.push(text.slice(rest));
  return nodes.filter((node) => node !== '');
}
