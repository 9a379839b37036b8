/**
 * What a simulated cmdlet handler gets and declares. Handlers are synchronous, so a call's read-modify-write of the
 * tenant state can never interleave with another call's.
 */
import type { Bound, CmdletSignature } from '../binding.ts';
import type { TenantState } from '../state.ts';
import type { SandboxTenant } from '../tenants/shared.ts';

export interface CmdletContext {
  tenant: SandboxTenant;
  state: TenantState;
  /** The simulator's clock, epoch ms. */
  now: number;
  /** What Get-OrganizationConfig reports right now. */
  isDehydrated: boolean;
  /**
   * From when Exchange lets admins assign application roles (customization's last lag), or null before customization.
   */
  delegationReadyAt: number | null;
  /** The signed-in admin's UPN, where the executor told it (undefined: a caller the sandbox does not judge). */
  caller?: string;
  /** Records that the handler changed `state`, so the simulator saves it. */
  changed(): void;
}

export interface CmdletHandler extends CmdletSignature {
  /** Writes refuse with the dehydrated error until customization has taken effect and propagated. */
  write?: boolean;
  run(ctx: CmdletContext, bound: Bound): unknown;
}
