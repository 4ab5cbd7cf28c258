import { ensureLtijs, type LtijsProvider } from './ltijs/ltijs-provider.js';
import { createLtijsRegistry } from './ltijs/ltijs-registry.js';
import { createLtijsAdvantage } from './ltijs/ltijs-advantage.js';
import { parseAdminUsers } from './launch/roles.js';
import type { LtiServiceDeps } from './lti-services.js';
import { DEFAULT_OUTBOUND_POLICY } from './outbound/address-guard.js';

/** The LTI settings ltijs and the launch rules need (config `lti`). */
export interface LtiSettings {
  schema: string;
  key: string;
  cookieSameSite: 'None' | 'Lax' | 'Strict';
  cookieSecure: boolean;
  maxTokenAgeSeconds: number;
  clockLeewaySeconds: number;
  sessionHours: number;
  /** Lifetime of a session token (`yst`), seconds. */
  sessionTokenSeconds: number;
  adminUsers: string;
  /** Let outbound LTI requests reach private, loopback and link-local addresses (development only). */
  allowPrivateNetworkFetch: boolean;
  passback: { retryLimit: number; retryDelaySeconds: number };
}

/**
 * Starts ltijs on the resolved database (its own schema) and returns what the services need. ltijs
 * gets `maxTokenAgeSeconds + leeway` as its token age limit; Yardstick checks the rest itself.
 */
export async function openLti(
  lti: LtiSettings,
  databaseUrl: string,
): Promise<{ provider: LtijsProvider; serviceDeps: LtiServiceDeps }> {
  const provider = await ensureLtijs({
    databaseUrl,
    schema: lti.schema,
    key: lti.key,
    cookieSameSite: lti.cookieSameSite,
    cookieSecure: lti.cookieSecure,
    tokenMaxAgeSeconds: lti.maxTokenAgeSeconds + lti.clockLeewaySeconds,
    outbound: { ...DEFAULT_OUTBOUND_POLICY, allowPrivateNetwork: lti.allowPrivateNetworkFetch },
  });
  return {
    provider,
    serviceDeps: {
      registry: createLtijsRegistry(provider, lti.key),
      advantage: createLtijsAdvantage(provider),
      downloadLinkSecret: lti.key,
      sessionTokenSeconds: lti.sessionTokenSeconds,
      passbackRetry: { limit: lti.passback.retryLimit, delaySeconds: lti.passback.retryDelaySeconds },
      rules: {
        leewaySeconds: lti.clockLeewaySeconds,
        maxTokenAgeSeconds: lti.maxTokenAgeSeconds,
        sessionHours: lti.sessionHours,
        adminUsers: parseAdminUsers(lti.adminUsers),
      },
    },
  };
}
