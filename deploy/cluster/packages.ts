import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PG_BIN } from './layout.js';

/** Debian packages the cluster runs on, each with the program that shows it is installed. */
const PACKAGES: { name: string; program: string }[] = [
  { name: 'postgresql-15', program: `${PG_BIN}/postgres` },
  { name: 'patroni', program: '/usr/bin/patroni' },
  { name: 'etcd-server', program: '/usr/bin/etcd' },
  { name: 'haproxy', program: '/usr/sbin/haproxy' },
  { name: 'pgbouncer', program: '/usr/sbin/pgbouncer' },
];

/** Raised when the cluster's packages are missing and cannot be installed here. */
export class PackagesUnavailableError extends Error {}

/**
 * Installs the missing packages with apt-get (as root). Debian starts a package's service on install
 * unless policy-rc.d forbids it; the cluster starts its own processes on its own ports either way.
 */
export function ensurePackages(log: (line: string) => void): void {
  const missing = PACKAGES.filter((p) => !existsSync(p.program)).map((p) => p.name);
  if (missing.length === 0) return;
  const cannot = (why: string) =>
    new PackagesUnavailableError(
      `the cluster needs the Debian packages ${missing.join(', ')}, and ${why}. Install them ("apt-get install ${missing.join(' ')}") and run again.`,
    );
  if (process.getuid?.() !== 0) throw cannot('installing them needs root');
  if (!existsSync('/usr/bin/apt-get')) throw cannot('this machine has no apt-get');
  log(`installing ${missing.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
      env,
      stdio: 'ignore',
    });
  } catch (err) {
    throw cannot(`apt-get failed (${(err as Error).message.split('\n')[0]})`);
  }
  const still = PACKAGES.filter((p) => !existsSync(p.program)).map((p) => p.name);
  if (still.length) throw cannot(`after apt-get, ${still.join(', ')} are still missing`);
}
