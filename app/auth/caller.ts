// Who is calling: the verified API key's identity, scope and tier, carried through one request.

export const SCOPES = ['read', 'write', 'admin'] as const;
export const TIERS = ['free', 'pro', 'enterprise'] as const;
export type Scope = (typeof SCOPES)[number];
export type Tier = (typeof TIERS)[number];

export interface Caller {
  keyId: string;
  userId: string;
  scope: Scope;
  tier: Tier;
}

const RANK: Record<Scope, number> = { read: 0, write: 1, admin: 2 };

/** Scopes are ordered: admin can do what write can, write what read can. */
export function hasScope(caller: Caller, needed: Scope): boolean {
  return RANK[caller.scope] >= RANK[needed];
}
