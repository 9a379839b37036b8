/**
 * Records the largest runs the API accepts straight into a data folder's store, so tests of big transcripts need not
 * run hundreds of steps first.
 */
import { getStep } from '../../src/runbook/catalog.ts';
import { renderScript } from '../../src/runbook/core/preview.ts';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import { openSqliteStore } from '../../server/store/sqlite.ts';

/**
 * The largest create-role-group run the API accepts: 64-character name, 50 members of 113 characters, 1024-character
 * description.
 */
export async function recordMaxSizeRuns(dataDir: string, actor: Actor, count: number): Promise<void> {
  const step = getStep('create-role-group')!;
  const members = Array.from(
    { length: 50 },
    (_, i) => `${String(i).padStart(2, '0')}${'u'.repeat(62)}@${'d'.repeat(44)}.com`,
  );
  const store = openSqliteStore(dataDir);
  try {
    for (let i = 0; i < count; i++) {
      const params = { name: `${String(i).padStart(4, '0')}${'n'.repeat(60)}`, members, description: 'd'.repeat(1024) };
      const script = renderScript(step.plan(params));
      const id = crypto.randomUUID();
      const at = new Date(Date.UTC(2026, 11, 1, 0, 0, i)).toISOString();
      await store.insertRun({ id, step: 'create-role-group', params, script, actor, startedAt: at });
      const lines: Array<[string, string]> = [
        ['command', script],
        ['wait', `Waiting 5 s for customization to propagate (check 1: ${members.join(', ')})`],
        ['command', script],
        ['result', `Role group "${params.name}" has ApplicationImpersonation; members: ${members.join(', ')}.`],
      ];
      for (const [seq, [kind, text]] of lines.entries())
        await store.appendOutput(id, seq + 1, { at, kind: kind as 'command', text });
      await store.finishRun(id, 'succeeded', at);
    }
  } finally {
    await store.close();
  }
}
