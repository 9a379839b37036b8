/**
 * Looks inside a companion's SQLite file after it stopped: SQLite's own integrity check, and runs still marked
 * `running` (none may be left once a companion has started and stopped cleanly on the folder).
 */
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** `integrity` is "ok" for a sound file; `running` counts runs recorded as still in flight. */
export function checkStore(dataDir: string): { integrity: string; running: number } {
  const db = new DatabaseSync(path.join(dataDir, 'runbook.sqlite'), { readOnly: true });
  try {
    const integrity = db
      .prepare('PRAGMA integrity_check')
      .all()
      .map((row) => String(row.integrity_check))
      .join('; ');
    const running = Number(db.prepare("SELECT count(*) AS n FROM runs WHERE status = 'running'").get()!.n);
    return { integrity, running };
  } finally {
    db.close();
  }
}
