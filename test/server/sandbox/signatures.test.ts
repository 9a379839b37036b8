/**
 * The simulator's cmdlets accept only parameters the cmdlet references document for Exchange Online
 * (test/fixtures/exchange-cmdlet-parameters.json), with the same ShouldProcess: the sandbox may model fewer parameters
 * than Exchange has, never one Exchange does not, and its switches and booleans are typed as documented.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { CMDLET_HANDLERS } from '../../../server/sandbox/cmdlets/index.ts';

const TABLE = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'exchange-cmdlet-parameters.json'), 'utf8'),
) as {
  cmdlets: Record<string, { parameters: Record<string, { type: string }>; shouldProcess: boolean }>;
};

for (const handler of CMDLET_HANDLERS.values()) {
  it(`${handler.name}: documented parameters only, typed as documented, ShouldProcess as documented`, () => {
    const documented = TABLE.cmdlets[handler.name];
    assert.ok(documented, `${handler.name} is not in the table`);
    for (const [name, spec] of Object.entries(handler.params)) {
      const doc = documented.parameters[name];
      assert.ok(doc, `-${name} is not a documented parameter of ${handler.name}`);
      if (doc.type === 'SwitchParameter') assert.equal(spec.type, 'switch', `-${name} is a switch`);
      if (doc.type === 'Boolean') assert.equal(spec.type, 'bool', `-${name} is a Boolean`);
    }
    assert.equal(handler.shouldProcess === true, documented.shouldProcess);
  });
}
