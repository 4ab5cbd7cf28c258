import { createHash, randomBytes } from 'node:crypto';
import { UnauthenticatedError } from '../../errors.js';
import type { LtiRegistrationTokenRepository } from '../../storage/repositories/lti-registration-token-repository.js';
import type { Tenant } from '../../tenants/model.js';
import type { TenantService } from '../../tenants/tenant-service.js';

/** A token as shown once to the admin who created it. */
export interface CreatedRegistrationToken {
  token: string;
  tenant: string;
  expiresAt: string;
}

export interface RegistrationTokenService {
  /** Creates a one-time token for `tenant`, valid for `hours`; only its hash is stored. */
  create(tenant: string, hours?: number): Promise<CreatedRegistrationToken>;
  /**
   * Spends a token and returns its tenant. Throws UnauthenticatedError for a missing, unknown, used
   * or expired token, before anything is fetched from the LMS.
   */
  spend(token: string | undefined): Promise<Tenant>;
}

/** How long a registration URL works unless the admin says otherwise. */
export const DEFAULT_REGISTRATION_TOKEN_HOURS = 24;

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * One-time tokens for LTI Dynamic Registration: without one, /lti/register would let anyone who knows
 * a tenant name make Yardstick fetch any URL and create pending platforms. The token carries its
 * tenant's id (16 bytes) then 24 random bytes, base64url, 54 characters; tokens are random enough that
 * SHA-256 suffices to store them.
 */
export function createRegistrationTokenService(deps: {
  tokens: LtiRegistrationTokenRepository;
  tenants: TenantService;
}): RegistrationTokenService {
  return {
    async create(tenantName, hours = DEFAULT_REGISTRATION_TOKEN_HOURS) {
      const tenant = await deps.tenants.getByName(tenantName);
      const token = Buffer.concat([
        Buffer.from(tenant.id.replace(/-/g, ''), 'hex'),
        randomBytes(24),
      ]).toString('base64url');
      const row = await deps.tokens.insert(tenant.id, hash(token), new Date(Date.now() + hours * 3600_000));
      return { token, tenant: tenant.name, expiresAt: row.expiresAt.toISOString() };
    },
    async spend(token) {
      const refused = new UnauthenticatedError(
        "This registration URL is not valid: it is missing its token, was used already or has expired. Create a new registration URL on Yardstick's admin page 'LMS platforms' (or with 'npx yardstick platform registration-url') and start again.",
      );
      const tenantId = token ? tenantOfToken(token) : undefined;
      if (!token || !tenantId) throw refused;
      if (!(await deps.tokens.spend(tenantId, hash(token)))) throw refused;
      return deps.tenants.getById(tenantId);
    },
  };
}

function tenantOfToken(token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{54}$/.test(token)) return undefined;
  const hex = Buffer.from(token, 'base64url').subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The URL an LMS admin pastes to start Dynamic Registration (the LMS appends its own parameters). */
export function registrationUrl(dynamicRegistrationUrl: string, token: string): string {
  return `${dynamicRegistrationUrl}?${new URLSearchParams({ yardstick_token: token })}`;
}
