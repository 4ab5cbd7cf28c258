import { PreconditionFailedError, ValidationError } from '../../errors.js';
import type { LtiSession } from '../../storage/repositories/lti-session-repository.js';
import type { AdvantageClient, DeepLinkItem, DeepLinkLaunch } from '../advantage/advantage-client.js';

/** What an instructor can place in the LMS today. Modules join this catalog with issue #6. */
export interface CatalogItem {
  id: string;
  title: string;
  description: string;
  /** Graded items carry a line item, so the LMS creates a gradebook column (Deep Linking 2.0, 3.1). */
  scoreMaximum?: number;
}

export const CATALOG: CatalogItem[] = [
  {
    id: 'module-placeholder',
    title: 'Training module',
    description: 'A graded module (placeholder: modules arrive with issue #6).',
    scoreMaximum: 100,
  },
  {
    id: 'course-report',
    title: 'Course report',
    description: 'Completion, mastery and ROI for instructors (ungraded).',
  },
];

export interface DeepLinkingService {
  catalog(): CatalogItem[];
  /** The auto-posting form returning the chosen items to the platform as a signed JWT. */
  respond(session: LtiSession, itemIds: string[], launchUrl: string): Promise<string>;
}

export function createDeepLinkingService(deps: { client: AdvantageClient }): DeepLinkingService {
  return {
    catalog: () => CATALOG,
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
      const chosen = CATALOG.filter((c) => itemIds.includes(c.id));
      if (chosen.length === 0)
        throw new ValidationError('Pick at least one item to add.', [
          { path: 'items', message: 'nothing selected' },
        ]);
      const items: DeepLinkItem[] = chosen.map((c) => ({
        type: 'ltiResourceLink',
        title: c.title,
        url: launchUrl,
        custom: { yardstick_item: c.id },
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
