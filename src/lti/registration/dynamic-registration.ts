import { ValidationError } from '../../errors.js';
import type { LtiPlatform } from '../model.js';
import type { PlatformService, ToolUrls } from '../platforms/platform-service.js';
import type { GuardedFetch } from '../outbound/guarded-fetch.js';

/** The platform's OpenID configuration fields Yardstick uses (LTI Dynamic Registration 1.0, 3.4). */
interface PlatformConfiguration {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  registration_endpoint: string;
  'https://purl.imsglobal.org/spec/lti-platform-configuration'?: { product_family_code?: string };
}

const SCOPES = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
];

/** The tool's registration request (Dynamic Registration 1.0, 3.5.2). */
export function toolRegistration(tool: ToolUrls, publicUrl: string): Record<string, unknown> {
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: tool.loginUrl,
    redirect_uris: [tool.launchUrl],
    client_name: 'Yardstick',
    jwks_uri: tool.jwksUrl,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: SCOPES.join(' '),
    'https://purl.imsglobal.org/spec/lti-tool-configuration': {
      domain: new URL(publicUrl).host,
      target_link_uri: tool.launchUrl,
      claims: ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'],
      messages: [
        { type: 'LtiDeepLinkingRequest', target_link_uri: tool.launchUrl, label: 'Add Yardstick content' },
      ],
    },
  };
}

/**
 * LTI Dynamic Registration: reads the platform's configuration, registers Yardstick with it, and
 * records the platform for `tenant` as pending: it cannot launch until an admin approves it. The
 * caller has spent a one-time registration token already; every request goes through `fetch`, which
 * refuses private addresses.
 */
export async function registerDynamically(deps: {
  platforms: PlatformService;
  fetch: GuardedFetch;
  tool: ToolUrls;
  publicUrl: string;
  tenant: string;
  openidConfigurationUrl: string;
  registrationToken?: string;
}): Promise<LtiPlatform> {
  const auth: Record<string, string> = deps.registrationToken
    ? { authorization: `Bearer ${deps.registrationToken}` }
    : {};
  const res = await deps.fetch(deps.openidConfigurationUrl, {
    headers: { accept: 'application/json', ...auth },
  });
  if (!res.ok)
    throw new ValidationError(
      `The LMS's configuration at ${deps.openidConfigurationUrl} answered HTTP ${res.status}; start the registration again from the LMS.`,
    );
  const config = jsonOf(res, "The LMS's configuration") as PlatformConfiguration;
  const missing = (
    ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'registration_endpoint'] as const
  ).filter((k) => typeof config[k] !== 'string');
  if (missing.length)
    throw new ValidationError(
      `The LMS's configuration lacks ${missing.join(', ')} (Dynamic Registration 3.4).`,
    );
  // Dynamic Registration 3.5.1: the configuration URL must belong to the issuer.
  if (new URL(deps.openidConfigurationUrl).origin !== new URL(config.issuer).origin) {
    throw new ValidationError(
      `The configuration URL ${deps.openidConfigurationUrl} is not on the issuer ${config.issuer}; refusing to register.`,
    );
  }
  const registered = await deps.fetch(config.registration_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...auth },
    body: JSON.stringify(toolRegistration(deps.tool, deps.publicUrl)),
  });
  if (!registered.ok)
    throw new ValidationError(
      `The LMS refused the registration (HTTP ${registered.status}): ${registered.text().slice(0, 300)}`,
    );
  const reply = jsonOf(registered, "The LMS's registration reply") as {
    client_id?: string;
    'https://purl.imsglobal.org/spec/lti-tool-configuration'?: { deployment_id?: string };
  };
  if (!reply.client_id)
    throw new ValidationError('The LMS accepted the registration but returned no client_id.');
  const deploymentId = reply['https://purl.imsglobal.org/spec/lti-tool-configuration']?.deployment_id;
  return deps.platforms.register({
    tenant: deps.tenant,
    issuer: config.issuer,
    clientId: reply.client_id,
    deploymentIds: deploymentId ? [deploymentId] : [],
    authUrl: config.authorization_endpoint,
    tokenUrl: config.token_endpoint,
    jwksUrl: config.jwks_uri,
    name: config['https://purl.imsglobal.org/spec/lti-platform-configuration']?.product_family_code,
    source: 'dynamic',
    status: 'pending',
  });
}

function jsonOf(res: { json(): unknown; url: string }, what: string): unknown {
  try {
    return res.json();
  } catch {
    throw new ValidationError(
      `${what} at ${res.url} is not JSON; start the registration again from the LMS.`,
    );
  }
}
