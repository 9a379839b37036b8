/** The store's tables. Tokens are never stored: a run keeps who (tid, oid, upn), what, and what happened. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  tid TEXT NOT NULL,
  oid TEXT NOT NULL,
  upn TEXT NOT NULL,
  step TEXT NOT NULL,
  params TEXT NOT NULL,
  script TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'unknown')),
  started_at TEXT NOT NULL,
  ended_at TEXT,
  error TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS runs_by_admin ON runs (tid, oid, started_at DESC);
CREATE TABLE IF NOT EXISTS run_output (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) STRICT;
CREATE TABLE IF NOT EXISTS sandbox_state (
  tid TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`;
