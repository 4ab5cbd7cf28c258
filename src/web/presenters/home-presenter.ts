import type { Tenant } from '../../tenants/model.js';

export interface DatabaseInfo {
  serverVersion: string;
  source: 'DATABASE_URL' | 'embedded';
}

export function presentHome(input: { tenants: Tenant[]; database: DatabaseInfo }) {
  return {
    title: 'Home',
    database: {
      serverVersion: input.database.serverVersion,
      source: input.database.source === 'embedded' ? 'embedded server' : 'DATABASE_URL',
    },
    tenantCount: input.tenants.length,
  };
}
