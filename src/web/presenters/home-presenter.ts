import type { Tenant } from '../../tenants/model.js';

export interface DatabaseInfo {
  serverVersion: string;
  source: 'DATABASE_URL' | 'embedded';
}

/**
 * The bare landing page: what Yardstick is, where to try it (the development LMS, when this server
 * serves one) and the server's facts.
 */
export function presentHome(input: { tenants: Tenant[]; database: DatabaseInfo; devLmsUrl?: string }) {
  return {
    title: 'Home',
    devLmsUrl: input.devLmsUrl,
    database: {
      serverVersion: input.database.serverVersion,
      source: input.database.source === 'embedded' ? 'embedded server' : 'DATABASE_URL',
    },
    tenantCount: input.tenants.length,
  };
}
