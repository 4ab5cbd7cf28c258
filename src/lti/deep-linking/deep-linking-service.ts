import { PreconditionFailedError, ValidationError } from '../../errors.js';
import type { LtiSession } from '../model.js';
import type { ModuleRepository } from '../../storage/repositories/module-repository.js';
import type { AdvantageClient, DeepLinkItem, DeepLinkLaunch } from '../advantage/advantage-client.js';

/** What an instructor can place in the LMS: the tenant's published modules and the course report. */
export interface CatalogItem {
  id: string;
  title: string;
  description: string;
  /** Graded items carry a line item, so the LMS creates a gradebook column (Deep Linking 2.0, 3.1). */
  scoreMaximum?: number;
  /** LTI custom parameters of the resource link (Deep Linking 2.0, 3.4.1 `custom`). */
  custom: Record<string, string>;
}

/** The custom parameter naming the module a deep-linked resource link launches. */
export const MODULE_ID_PARAMETER = 'yardstick_module_id';

/** Scores go back to the LMS as a percentage of the post-test. */
export const MODULE_SCORE_MAXIMUM = 100;

const COURSE_REPORT: CatalogItem = {
  id: 'course-report',
  title: 'Course report',
  description: 'Completion, mastery and ROI for instructors (ungraded).',
  custom: { yardstick_item: 'course-report' },
};

export interface DeepLinkingService {
  /** The tenant's catalog: its modules with a published version, by title, then the course report. */
  catalog(tenantId: string): Promise<CatalogItem[]>;
  /** The auto-posting form returning the chosen items to the platform as a signed JWT. */
  respond(session: LtiSession, itemIds: string[], launchUrl: string): Promise<string>;
}

export function createDeepLinkingService(deps: {
  client: AdvantageClient;
  modules: ModuleRepository;
}): DeepLinkingService {
  async function catalog(tenantId: string): Promise<CatalogItem[]> {
    const items: CatalogItem[] = [];
    for (const { module: m, version: published } of await deps.modules.latestPublishedAll(tenantId)) {
      const graded = Boolean(published.content.postTest);
      const pages = published.content.pages.length;
      items.push({
        id: `module:${m.id}`,
        title: m.title,
        description: [
          published.content.external ? 'External activity' : `${pages} page${pages === 1 ? '' : 's'}`,
          graded ? 'post-test graded out of 100' : 'ungraded',
          `version ${published.version}`,
        ].join(' · '),
        ...(graded ? { scoreMaximum: MODULE_SCORE_MAXIMUM } : {}),
        custom: { yardstick_item: 'module', [MODULE_ID_PARAMETER]: m.id },
      });
    }
    return [...items, COURSE_REPORT];
  }

  return {
    catalog,
    async respond(session, itemIds, launchUrl) {
      const launch = session.launch as {
        issuer: string;
        clientId: string;
        deploymentId: string;
        deepLinking?: DeepLinkLaunch['settings'] | null;
      };
      if (session.messageType !== 'LtiDeepLinkingRequest' || !launch.deepLinking) {
        throw new PreconditionFailedError(
          'This session did not start from a deep-linking request; choose "add content" / "external tool" in the LMS again.',
        );
      }
      const chosen = (await catalog(session.tenantId)).filter((c) => itemIds.includes(c.id));
      if (chosen.length === 0)
        throw new ValidationError('Pick at least one item to add.', [
          { path: 'items', message: 'nothing selected' },
        ]);
      const items: DeepLinkItem[] = chosen.map((c) => ({
        type: 'ltiResourceLink',
        title: c.title,
        url: launchUrl,
        custom: c.custom,
        ...(c.scoreMaximum
          ? { lineItem: { label: c.title, scoreMaximum: c.scoreMaximum, resourceId: c.id } }
          : {}),
      }));
      return deps.client.deepLinkingForm(
        {
          issuer: launch.issuer,
          clientId: launch.clientId,
          deploymentId: launch.deploymentId,
          settings: launch.deepLinking,
        },
        items,
      );
    },
  };
}
