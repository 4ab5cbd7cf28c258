import type { Command } from 'commander';
import { withYardstick } from './context.js';
import { createOutput, table } from './output.js';
import { toolUrls } from '../lti/platforms/platform-service.js';
import { NotFoundError, ValidationError } from '../errors.js';
import {
  DEFAULT_REGISTRATION_TOKEN_HOURS,
  registrationUrl,
} from '../lti/registration/registration-token-service.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `yardstick platform add|list|add-deployment|approve`: LMS registrations (LTI 1.3). `add` prints the
 * URLs the LMS admin enters on their side (login, launch, JWKS, deep linking).
 */
export function registerPlatformCommands(program: Command): void {
  const platform = program.command('platform').description('LMS platforms (LTI 1.3 registrations)');
  platform
    .command('add')
    .description('register an LMS for a tenant and print the URLs to enter in the LMS')
    .requiredOption('--tenant <name>', 'tenant (customer organization) the platform belongs to')
    .requiredOption('--issuer <url>', "the LMS's issuer (iss), e.g. https://canvas.instructure.com")
    .requiredOption('--client-id <id>', 'client id the LMS assigned to Yardstick')
    .requiredOption('--deployment-id <id>', 'deployment id (repeat for several)', collect, [])
    .requiredOption('--auth-url <url>', "the LMS's OIDC authentication endpoint")
    .requiredOption('--token-url <url>', "the LMS's OAuth2 token endpoint")
    .requiredOption('--jwks-url <url>', "the LMS's public keyset URL")
    .option('--name <name>', 'display name')
    .action(
      async (o: {
        tenant: string;
        issuer: string;
        clientId: string;
        deploymentId: string[];
        authUrl: string;
        tokenUrl: string;
        jwksUrl: string;
        name?: string;
      }) => {
        const out = createOutput(program.opts().json);
        const result = await withYardstick(
          async (y, { config }) => {
            const created = await y.services.lti.platforms.register({
              tenant: o.tenant,
              issuer: o.issuer,
              clientId: o.clientId,
              deploymentIds: o.deploymentId,
              authUrl: o.authUrl,
              tokenUrl: o.tokenUrl,
              jwksUrl: o.jwksUrl,
              name: o.name,
              source: 'cli',
            });
            return { platform: created, tool: toolUrls(config.server.publicUrl) };
          },
          { lti: true },
        );
        out.result(result, () =>
          [
            `Registered ${result.platform.name} (${result.platform.issuer}, client id ${result.platform.clientId}) for tenant ${o.tenant}.`,
            'Enter these in the LMS:',
            `  Login (OIDC initiation) URL: ${result.tool.loginUrl}`,
            `  Launch (redirect) URL:       ${result.tool.launchUrl}`,
            `  Public keyset (JWKS) URL:    ${result.tool.jwksUrl}`,
            `  Deep linking URL:            ${result.tool.deepLinkingUrl}`,
          ].join('\n'),
        );
      },
    );

  platform
    .command('registration-url')
    .description('create a one-time LTI Dynamic Registration URL for a tenant, to paste into the LMS')
    .requiredOption('--tenant <name>', 'tenant the registered platform will belong to')
    .option('--hours <n>', 'hours the URL works', String(DEFAULT_REGISTRATION_TOKEN_HOURS))
    .action(async (o: { tenant: string; hours: string }) => {
      const out = createOutput(program.opts().json);
      const hours = Number(o.hours);
      if (!Number.isInteger(hours) || hours < 1 || hours > 720)
        throw new ValidationError(`--hours ${o.hours} is not a whole number from 1 to 720.`);
      const result = await withYardstick(async (y, { config }) => {
        const created = await y.services.lti.registrationTokens.create(o.tenant, hours);
        const url = registrationUrl(toolUrls(config.server.publicUrl).dynamicRegistrationUrl, created.token);
        return { url, tenant: created.tenant, expiresAt: created.expiresAt };
      });
      out.result(result, () =>
        [
          `Paste this URL into the LMS's dynamic registration for tenant ${result.tenant}.`,
          `It works once, until ${result.expiresAt}; the platform then waits for approval:`,
          `  ${result.url}`,
        ].join('\n'),
      );
    });

  platform
    .command('list')
    .description("list a tenant's platforms")
    .requiredOption('--tenant <name>', 'tenant name')
    .action(async (o: { tenant: string }) => {
      const out = createOutput(program.opts().json);
      const platforms = await withYardstick((y) => y.services.lti.platforms.list(o.tenant));
      out.result(platforms, () =>
        platforms.length
          ? table(
              ['name', 'issuer', 'client id', 'deployments', 'status', 'id'],
              platforms.map((p) => [p.name, p.issuer, p.clientId, p.deploymentIds.join(','), p.status, p.id]),
            )
          : `No platforms yet; add one with 'npx yardstick platform add --tenant ${o.tenant} ...'.`,
      );
    });

  platform
    .command('rotate-key')
    .description(
      'replace the tool key used with a platform; the old key stays in the JWKS for lti.keyOverlapHours',
    )
    .requiredOption('--issuer <url>', 'platform issuer')
    .requiredOption('--client-id <id>', 'client id')
    .action(async (o: { issuer: string; clientId: string }) => {
      const out = createOutput(program.opts().json);
      const rotated = await withYardstick(
        async (y, { config }) => {
          const p = await y.services.lti.platforms.findByIssuer(o.issuer, o.clientId);
          if (!p)
            throw new NotFoundError(
              `No platform ${o.issuer} with client id ${o.clientId}; list them with 'npx yardstick platform list --tenant NAME'.`,
            );
          return y.services.lti.platforms.rotateKey(p.tenantId, p.id, config.lti.keyOverlapHours);
        },
        { lti: true },
      );
      out.result(
        rotated,
        () =>
          `New key ${rotated.newKid} signs from now on; the old key ${rotated.oldKid} stays published until ${rotated.publishedUntil.toISOString()}.`,
      );
    });

  platform
    .command('add-deployment')
    .description('add a deployment id to a registered platform')
    .requiredOption('--issuer <url>', 'platform issuer')
    .requiredOption('--client-id <id>', 'client id')
    .requiredOption('--deployment-id <id>', 'the new deployment id')
    .action(async (o: { issuer: string; clientId: string; deploymentId: string }) => {
      const out = createOutput(program.opts().json);
      const updated = await withYardstick(async (y) => {
        const p = await y.services.lti.platforms.findByIssuer(o.issuer, o.clientId);
        if (!p)
          throw new NotFoundError(
            `No platform ${o.issuer} with client id ${o.clientId}; register it with 'npx yardstick platform add'.`,
          );
        return y.services.lti.platforms.addDeployment(p.tenantId, p.id, o.deploymentId);
      });
      out.result(updated, () => `Deployments of ${updated.name}: ${updated.deploymentIds.join(', ')}`);
    });
}
