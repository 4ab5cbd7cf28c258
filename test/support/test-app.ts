import type { Express } from 'express';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createApp } from '../../src/app.js';
import { createServices, type Services } from '../../src/services.js';
import type { TestDatabase } from './test-database.js';

/** The real express app over a test database, for supertest. */
export function createTestApp(database: TestDatabase): { app: Express; services: Services } {
  const config = loadConfig({ env: { NODE_ENV: 'test' } });
  const logger = createLogger({ level: 'silent', pretty: false });
  const services = createServices({ db: database.db });
  const app = createApp({
    config,
    logger,
    services,
    database: { serverVersion: 'test', source: 'embedded' },
  });
  return { app, services };
}
