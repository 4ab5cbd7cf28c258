import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from '../../src/config.js';

describe('configuration', () => {
  it('loads every key with its default for development', () => {
    const config = loadConfig({ env: { NODE_ENV: 'development' } });
    assert.equal(config.server.port, 3000);
    assert.equal(config.embeddedDatabase.dataDir, 'data/postgres');
    assert.equal(config.database.url, '');
  });

  it('lets the NODE_ENV file override defaults', () => {
    const config = loadConfig({ env: { NODE_ENV: 'test' } });
    assert.equal(config.server.port, 0);
    assert.equal(config.embeddedDatabase.persistent, false);
  });

  it('lets mapped environment variables override both files', () => {
    const config = loadConfig({
      env: {
        NODE_ENV: 'test',
        PORT: '8123',
        DATABASE_URL: 'postgres://u@h/db',
        YARDSTICK_DATA_DIR: '/srv/pg',
        TRUST_PROXY: 'true',
      },
    });
    assert.equal(config.server.port, 8123);
    assert.equal(config.database.url, 'postgres://u@h/db');
    assert.equal(config.embeddedDatabase.dataDir, '/srv/pg');
    assert.equal(config.server.trustProxy, true);
  });

  it('has a localhost public URL follow PORT, and leaves an explicit PUBLIC_URL alone', () => {
    assert.equal(
      loadConfig({ env: { NODE_ENV: 'development', PORT: '4000' } }).server.publicUrl,
      'http://localhost:4000',
    );
    assert.equal(
      loadConfig({ env: { NODE_ENV: 'development', PORT: '4000', PUBLIC_URL: 'https://yardstick.acme.com' } })
        .server.publicUrl,
      'https://yardstick.acme.com',
    );
    assert.equal(loadConfig({ env: { NODE_ENV: 'test' } }).server.publicUrl, 'http://localhost:3000');
  });

  it('lists every bad key in one message', () => {
    assert.throws(
      () =>
        loadConfig({
          env: { NODE_ENV: 'development', PORT: 'abc', TRUST_PROXY: 'maybe', LOG_LEVEL: 'loud' },
        }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.problems.length, 3, err.message);
        assert.match(err.message, /PORT="abc" is not a valid integer/);
        assert.match(err.message, /TRUST_PROXY="maybe" is not a valid boolean/);
        assert.match(err.message, /log\.level \(environment variable LOG_LEVEL\)/);
        return true;
      },
    );
  });

  it('rejects a port out of range with the variable named', () => {
    assert.throws(
      () => loadConfig({ env: { NODE_ENV: 'development', PORT: '70000' } }),
      /server\.port \(environment variable PORT\)/,
    );
  });

  it('rejects an unknown NODE_ENV', () => {
    assert.throws(() => loadConfig({ env: { NODE_ENV: 'staging' } }), /no config\/staging\.json/);
  });

  it('returns a frozen object', () => {
    const config = loadConfig({ env: { NODE_ENV: 'test' } });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.server));
  });

  it('refuses an admin token shorter than 32 characters, naming YARDSTICK_ADMIN_TOKEN', () => {
    assert.throws(
      () => loadConfig({ env: { NODE_ENV: 'test', YARDSTICK_ADMIN_TOKEN: 'short-token' } }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.some((p) => /YARDSTICK_ADMIN_TOKEN.*at least 32 characters/.test(p)),
    );
    const ok = loadConfig({ env: { NODE_ENV: 'test', YARDSTICK_ADMIN_TOKEN: 'x'.repeat(32) } });
    assert.equal(ok.admin.token.length, 32);
  });
});
