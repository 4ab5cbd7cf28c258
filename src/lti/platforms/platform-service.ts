import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { LtiPlatformRepository } from '../../storage/repositories/lti-platform-repository.js';
import type { TenantService } from '../../tenants/tenant-service.js';
import type { LtiPlatform } from '../model.js';

/** The LTI library's half of a registration (ltijs keeps keys and endpoints in its own tables). */
export interface PlatformRegistry {
  register(
    p: Pick<LtiPlatform, 'issuer' | 'clientId' | 'name' | 'authUrl' | 'tokenUrl' | 'jwksUrl'>,
  ): Promise<void>;
  remove(issuer: string, clientId: string): Promise<void>;
  /** Replaces the tool key used with this platform; returns the retired key's kid and public JWK. */
  rotateKey(
    issuer: string,
    clientId: string,
  ): Promise<{ oldKid: string; oldPublicJwk: Record<string, unknown>; newKid: string }>;
  /** The public keys currently in use (one per platform). */
  currentKeys(): Promise<Record<string, unknown>[]>;
}

export interface PlatformInput {
  tenant: string;
  issuer: string;
  clientId: string;
  deploymentIds: string[];
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  name?: string;
  source: LtiPlatform['source'];
  /** Dynamic registrations start pending until an admin approves them. */
  status?: 'active' | 'pending';
}

/** The URLs an LMS admin enters for Yardstick (LTI 1.3 Core 4.1 and the Deep Linking spec). */
export interface ToolUrls {
  loginUrl: string;
  launchUrl: string;
  jwksUrl: string;
  deepLinkingUrl: string;
  dynamicRegistrationUrl: string;
}

export function toolUrls(publicUrl: string): ToolUrls {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    loginUrl: `${base}/lti/login`,
    launchUrl: `${base}/lti/launch`,
    jwksUrl: `${base}/lti/keys`,
    deepLinkingUrl: `${base}/lti/launch`,
    dynamicRegistrationUrl: `${base}/lti/register`,
  };
}

export interface PlatformService {
  /** Registers a platform for a tenant: Yardstick's record and the LTI library's, or neither. */
  register(input: PlatformInput): Promise<LtiPlatform>;
  list(tenantName: string): Promise<LtiPlatform[]>;
  listPending(): Promise<LtiPlatform[]>;
  approve(tenantId: string, platformId: string): Promise<LtiPlatform>;
  addDeployment(tenantId: string, platformId: string, deploymentId: string): Promise<LtiPlatform>;
  findByIssuer(issuer: string, clientId: string): Promise<LtiPlatform | undefined>;
  get(tenantId: string, platformId: string): Promise<LtiPlatform>;
  remove(tenantId: string, platformId: string): Promise<void>;
  /**
   * Key rotation with overlap: a new tool key signs from now on; the old public key stays in the JWKS
   * for `overlapHours`, so grade and roster calls never meet a keyset without the key they were signed with.
   */
  rotateKey(
    tenantId: string,
    platformId: string,
    overlapHours: number,
  ): Promise<{ oldKid: string; newKid: string; publishedUntil: Date }>;
  /** Yardstick's JWKS: current keys plus retired keys still inside their overlap. */
  keyset(): Promise<{ keys: Record<string, unknown>[] }>;
}

function checkUrl(field: string, value: string, problems: { path: string; message: string }[]): void {
  try {
    const u = new URL(value);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)');
  } catch {
    problems.push({ path: field, message: `"${value}" is not an http(s) URL` });
  }
}

export function createPlatformService(deps: {
  platforms: LtiPlatformRepository;
  tenants: TenantService;
  registry: PlatformRegistry;
}): PlatformService {
  const service: PlatformService = {
    async register(input) {
      const problems: { path: string; message: string }[] = [];
      checkUrl('issuer', input.issuer, problems);
      checkUrl('authUrl', input.authUrl, problems);
      checkUrl('tokenUrl', input.tokenUrl, problems);
      checkUrl('jwksUrl', input.jwksUrl, problems);
      if (!input.clientId.trim()) problems.push({ path: 'clientId', message: 'the client id is empty' });
      const deploymentIds = [...new Set(input.deploymentIds.map((d) => d.trim()).filter(Boolean))];
      if (deploymentIds.length === 0 && input.source !== 'dynamic')
        problems.push({ path: 'deploymentId', message: 'give at least one deployment id' });
      if (problems.length) {
        throw new ValidationError(
          `The platform registration has ${problems.length} problem(s): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}.`,
          problems,
        );
      }
      const tenant = await deps.tenants.getByName(input.tenant);
      const existing = await deps.platforms.findByIssuer(input.issuer, input.clientId);
      if (existing) {
        throw new ConflictError(
          `The platform ${input.issuer} with client id ${input.clientId} is already registered${existing.tenantId === tenant.id ? ' for this tenant' : ' for another tenant'}; an (issuer, client id) belongs to exactly one tenant. Add deployments to it instead.`,
        );
      }
      const name = input.name?.trim() || new URL(input.issuer).host;
      const created = await deps.platforms.insert({
        tenantId: tenant.id,
        issuer: input.issuer,
        clientId: input.clientId,
        name,
        authUrl: input.authUrl,
        tokenUrl: input.tokenUrl,
        jwksUrl: input.jwksUrl,
        status: input.status ?? 'active',
        source: input.source,
        deploymentIds,
      });
      try {
        await deps.registry.register({
          issuer: input.issuer,
          clientId: input.clientId,
          name,
          authUrl: input.authUrl,
          tokenUrl: input.tokenUrl,
          jwksUrl: input.jwksUrl,
        });
      } catch (err) {
        await deps.platforms.delete(tenant.id, created.id);
        throw err;
      }
      return created;
    },
    async list(tenantName) {
      const tenant = await deps.tenants.getByName(tenantName);
      return deps.platforms.listByTenant(tenant.id);
    },
    listPending: () => deps.platforms.listPending(),
    async approve(tenantId, platformId) {
      await service.get(tenantId, platformId);
      await deps.platforms.setStatus(tenantId, platformId, 'active');
      return service.get(tenantId, platformId);
    },
    async addDeployment(tenantId, platformId, deploymentId) {
      if (!deploymentId.trim())
        throw new ValidationError('The deployment id is empty.', [
          { path: 'deploymentId', message: 'empty' },
        ]);
      await service.get(tenantId, platformId);
      await deps.platforms.addDeployment(tenantId, platformId, deploymentId.trim());
      return service.get(tenantId, platformId);
    },
    findByIssuer: (issuer, clientId) => deps.platforms.findByIssuer(issuer, clientId),
    async get(tenantId, platformId) {
      const p = await deps.platforms.findById(tenantId, platformId);
      if (!p)
        throw new NotFoundError(
          `There is no LMS platform ${platformId} in this tenant; list them with 'npx yardstick platform list --tenant NAME'.`,
        );
      return p;
    },
    async rotateKey(tenantId, platformId, overlapHours) {
      const p = await service.get(tenantId, platformId);
      const { oldKid, oldPublicJwk, newKid } = await deps.registry.rotateKey(p.issuer, p.clientId);
      const publishedUntil = new Date(Date.now() + overlapHours * 3600_000);
      await deps.platforms.insertRetiredKey({
        tenantId,
        platformId,
        kid: oldKid,
        publicJwk: oldPublicJwk,
        publishedUntil,
      });
      return { oldKid, newKid, publishedUntil };
    },
    async keyset() {
      const current = await deps.registry.currentKeys();
      const retired = await deps.platforms.publishedRetiredKeys();
      const kids = new Set(current.map((k) => k.kid));
      return { keys: [...current, ...retired.filter((k) => !kids.has(k.kid))] };
    },
    async remove(tenantId, platformId) {
      const p = await service.get(tenantId, platformId);
      await deps.registry.remove(p.issuer, p.clientId);
      await deps.platforms.delete(tenantId, platformId);
    },
  };
  return service;
}
