/**
 * Stable GUIDs for seeded sandbox objects.
 */
import { createHash } from 'node:crypto';

/** A stable GUID derived from `text`, so seeded objects keep their ids across resets. */
export function seedGuid(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
