import { Router, type Request, type Response } from 'express';
import { route } from '../../async-route.js';
import { principalOf, requireScope } from '../../middleware/xapi-auth.js';
import { xapiVersionOf } from '../../middleware/xapi-protocol.js';
import type { DocumentKind } from '../../../xapi/model.js';
import { readDocumentParams } from '../../../xapi/documents/document-params.js';
import type {
  ConditionalPut,
  DocumentService,
  Preconditions,
} from '../../../xapi/documents/document-service.js';
import type { ActivityService } from '../../../xapi/statements/activity-service.js';

const RESOURCES: { path: string; kind: DocumentKind; scope: 'state' | 'profile' }[] = [
  { path: '/activities/state', kind: 'state', scope: 'state' },
  { path: '/activities/profile', kind: 'activity_profile', scope: 'profile' },
  { path: '/agents/profile', kind: 'agent_profile', scope: 'profile' },
];

function preconditions(req: Request): Preconditions {
  return { ifMatch: req.headers['if-match'], ifNoneMatch: req.headers['if-none-match'] };
}

/**
 * The document resources (State, Activity Profile, Agent Profile) and the Activities and Agents
 * resources (xAPI Communication 2.3-2.7).
 */
export function documentRoutes(deps: { documents: DocumentService; activities: ActivityService }): Router {
  const router = Router();
  for (const resource of RESOURCES) {
    const params = (req: Request, res: Response) =>
      readDocumentParams(resource.kind, req.method, req.query as Record<string, unknown>, xapiVersionOf(res));
    const body = (req: Request) => ({
      content: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      contentType: req.headers['content-type'],
    });
    router.get(
      resource.path,
      requireScope(resource.scope),
      route(async (req, res) => {
        const p = params(req, res);
        const tenantId = principalOf(res).tenantId;
        if (p.documentId === undefined) {
          res.status(200).json(await deps.documents.listIds(tenantId, p));
          return;
        }
        const doc = await deps.documents.get(tenantId, p);
        res.set('ETag', doc.etag);
        res.set('Last-Modified', doc.updated.toUTCString());
        res.status(200).type(doc.contentType).send(doc.content);
      }),
    );
    router.put(
      resource.path,
      requireScope(resource.scope),
      route(async (req, res) => {
        const p = params(req, res);
        // 1.0.3 applies concurrency control to the profile resources only; 2.0 to State as well.
        const conditional: ConditionalPut =
          resource.kind === 'state'
            ? xapiVersionOf(res) === '2.0.0'
              ? 'existing'
              : 'optional'
            : xapiVersionOf(res) === '2.0.0'
              ? 'existing'
              : 'required';
        await deps.documents.put(principalOf(res).tenantId, p, body(req), preconditions(req), conditional);
        res.status(204).end();
      }),
    );
    router.post(
      resource.path,
      requireScope(resource.scope),
      route(async (req, res) => {
        await deps.documents.post(principalOf(res).tenantId, params(req, res), body(req), preconditions(req));
        res.status(204).end();
      }),
    );
    router.delete(
      resource.path,
      requireScope(resource.scope),
      route(async (req, res) => {
        const p = params(req, res);
        await deps.documents.delete(principalOf(res).tenantId, p, preconditions(req));
        res.status(204).end();
      }),
    );
  }
  router.get(
    '/activities',
    requireScope('define'),
    route(async (req, res) => {
      res.json(await deps.activities.activity(principalOf(res).tenantId, req.query.activityId));
    }),
  );
  router.get(
    '/agents',
    requireScope('define'),
    route(async (req, res) => {
      res.json(deps.activities.person(req.query.agent));
    }),
  );
  return router;
}
