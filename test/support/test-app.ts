import type { Express } from 'express';
import { loadConfig, type LoadConfigOptions } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/app.js';
import { createServices, type Services } from '../../src/services.js';
import type { TestDatabase } from './test-database.js';

/** The real express app over a test database, for supertest. */
export function createTestApp(
  database: TestDatabase,
  overrides: LoadConfigOptions['overrides'] = {},
): { app: Express; services: Services } {
  const config = loadConfig({ env: { NODE_ENV: 'test' }, overrides });
  const logger = createLogger({ level: 'silent', pretty: false });
  const services = createServices({ db: database.db, reports: { settings: config.reports } });
  const app = createApp({
    config,
    logger,
    services,
    database: { serverVersion: 'test', source: 'embedded' },
  });
  return { app, services };
}
