import type { PlatformRegistry } from '../platforms/platform-service.js';
import { generateToolKeyPair, publicJwk, toolPublicKeys } from './ltijs-keys.js';
import type { LtijsProvider } from './ltijs-provider.js';

/**
 * ltijs' half of a platform registration: endpoints, the platform's keyset URL (JWK_SET, fetched on
 * every launch, so a rotated platform key is picked up at once) and a tool key pair ltijs generates.
 */
export function createLtijsRegistry(lti: LtijsProvider, encryptionKey: string): PlatformRegistry {
  const db = () => lti.provider.Database;
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
    /**
     * ltijs keeps one key pair per (issuer, client id) and signs with the platform row's `kid`. A
     * rotation generates a new pair in ltijs' layout (replacing the stored pair), points
     * the platform row at the new kid, and drops cached access tokens obtained with the old key. The
     * old public key is returned so Yardstick keeps publishing it during the overlap.
     */
    async rotateKey(issuer, clientId) {
      const old = (await db().Get(encryptionKey, 'publickey', { platformUrl: issuer, clientId })) as
        { key: string; kid: string }[] | false;
      if (!old || !old[0]) throw new Error(`ltijs holds no key for ${issuer} / ${clientId}`);
      const oldPublicJwk = publicJwk(old[0].key, old[0].kid);
      const newKid = await generateToolKeyPair(db(), encryptionKey, issuer, clientId);
      await db().Modify(false, 'platform', { platformUrl: issuer, clientId }, { kid: newKid });
      await db().Delete('accesstoken', { platformUrl: issuer, clientId });
      return { oldKid: old[0].kid, oldPublicJwk, newKid };
    },
    async currentKeys() {
      return toolPublicKeys(db(), encryptionKey);
    },
  };
}
