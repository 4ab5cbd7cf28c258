import type { PlatformRegistry } from '../platforms/platform-service.js';
import type { LtijsProvider } from './ltijs-provider.js';

/**
 * ltijs' half of a platform registration: endpoints, the platform's keyset URL (JWK_SET, fetched on
 * every launch, so a rotated platform key is picked up at once) and a tool key pair ltijs generates.
 */
export function createLtijsRegistry(lti: LtijsProvider): PlatformRegistry {
  return {
    async register(p) {
      await lti.provider.registerPlatform({
        url: p.issuer,
        name: p.name,
        clientId: p.clientId,
        authenticationEndpoint: p.authUrl,
        accesstokenEndpoint: p.tokenUrl,
        authConfig: { method: 'JWK_SET', key: p.jwksUrl },
      });
    },
    async remove(issuer, clientId) {
      await lti.provider.deletePlatform(issuer, clientId);
    },
  };
}
