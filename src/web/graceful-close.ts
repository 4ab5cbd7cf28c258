import type { Server } from 'node:http';

/**
 * Stops accepting connections and resolves once every request in flight has finished; idle
 * keep-alive connections close at once, and whatever is still open after `graceMs` is cut.
 */
export async function closeGracefully(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}
