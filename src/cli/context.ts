import { loadConfig, type AppConfig } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { openYardstick, type Yardstick } from '../bootstrap.js';

/**
 * Opens Yardstick for one CLI command: same config and database resolution as `npm start` (so it
 * attaches to the embedded server a running `npm start` owns), logs on stderr, closes afterwards.
 */
export async function withYardstick<T>(
  work: (y: Yardstick, ctx: { config: AppConfig; logger: Logger }) => Promise<T>,
  options: { migrate?: boolean; lti?: boolean } = {},
): Promise<T> {
  const config = loadConfig();
  const logger = createLogger({ level: process.env.LOG_LEVEL || 'warn', pretty: false, stderr: true });
  const yardstick = await openYardstick({
    config,
    logger,
    migrate: options.migrate,
    applicationName: 'yardstick-cli',
    lti: options.lti,
  });
  try {
    return await work(yardstick, { config, logger });
  } finally {
    await yardstick.close();
  }
}
