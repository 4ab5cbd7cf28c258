import type { AdvantageClient } from '../advantage/advantage-client.js';
import type { LtijsProvider } from './ltijs-provider.js';

/** Describes an HTTP failure from got (ltijs' client) in one line: status and the platform's words. */
function describe(err: unknown): Error {
  const e = err as { response?: { statusCode?: number; body?: unknown }; message?: string };
  if (e?.response?.statusCode) {
    const body = typeof e.response.body === 'string' ? e.response.body.slice(0, 300) : '';
    return new Error(`the platform answered HTTP ${e.response.statusCode}${body ? `: ${body}` : ''}`);
  }
  return new Error(e?.message ?? String(err));
}

/**
 * AGS, NRPS and Deep Linking through ltijs. ltijs' services take its "idtoken" object; only the
 * fields each call reads are built here (iss, clientId, user; platformContext for NRPS and DL).
 * Note: ltijs' submitScore replaces `timestamp` with the sending time.
 */
export function createLtijsAdvantage(lti: LtijsProvider): AdvantageClient {
  const p = lti.provider;
  return {
    async submitScore(platform, lineItemUrl, score) {
      try {
        await p.Grade.submitScore(
          { iss: platform.issuer, clientId: platform.clientId, user: score.userId },
          lineItemUrl,
          { ...score },
        );
      } catch (err) {
        throw describe(err);
      }
    },
    async members(platform, membershipsUrl, options) {
      const idtoken = {
        iss: platform.issuer,
        clientId: platform.clientId,
        platformContext: { namesRoles: { context_memberships_url: membershipsUrl } },
      };
      try {
        const result = await p.NamesAndRoles.getMembers(idtoken, {
          pages: false,
          ...(options.role ? { role: options.role } : {}),
          ...(options.limit ? { limit: options.limit } : {}),
        });
        return result.members ?? [];
      } catch (err) {
        throw describe(err);
      }
    },
    async deepLinkingForm(launch, items) {
      const idtoken = {
        iss: launch.issuer,
        clientId: launch.clientId,
        deploymentId: launch.deploymentId,
        platformContext: { deepLinkingSettings: launch.settings },
      };
      return p.DeepLinking.createDeepLinkingForm(idtoken, items, {
        message: `Added ${items.length} item(s) from Yardstick`,
      });
    },
  };
}
