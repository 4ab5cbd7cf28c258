import type { AppConfig } from '../config.js';
import { ensureLtijs, type LtijsProvider } from './ltijs/ltijs-provider.js';
import { createLtijsRegistry } from './ltijs/ltijs-registry.js';
import { createLtijsAdvantage } from './ltijs/ltijs-advantage.js';
import { parseAdminUsers } from './launch/roles.js';
import type { LtiServiceDeps } from './lti-services.js';
import { DEFAULT_OUTBOUND_POLICY } from './outbound/address-guard.js';

/**
 * Starts ltijs on the resolved database (its own schema) and returns what the services need. ltijs
 * gets `maxTokenAgeSeconds + leeway` as its token age limit; Yardstick checks the rest itself.
 */
export async function openLti(
  config: AppConfig,
  databaseUrl: string,
): Promise<{ provider: LtijsProvider; serviceDeps: LtiServiceDeps }> {
  const { lti } = config;
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
