/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temp dir, `pg_ctl` on a free
 * loopback port, one cluster per test process (node --test runs each file in its own), one
 * database per test. Locally the PostgreSQL tests skip with a printed reason when the
 * binaries are absent; in CI (NUDGE_REQUIRE_POSTGRES=1) they fail instead.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Debian's PostgreSQL (`apt-get install -y postgresql`), its newest version; another build through NUDGE_POSTGRES_BIN. */
export const POSTGRES_BIN = process.env.NUDGE_POSTGRES_BIN ?? debianBin();

function debianBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .map(Number)
    : [];
  return join(root, String(versions.length ? Math.max(...versions) : 15), 'bin');
}

/** The role every test connects as (trust authentication, loopback only). */
const USER = 'nudge';

interface Cluster {
  dir: string;
  port: number;
}

let skipReason: string | null | undefined;
let cluster: Promise<Cluster> | null = null;
let started: Cluster | null = null;

/** Null when PostgreSQL tests can run; otherwise why not (printed once), or a throw in CI. */
export function postgresSkipReason(): string | null {
  if (skipReason !== undefined) return skipReason;
  if (existsSync(join(POSTGRES_BIN, 'initdb')) && existsSync(join(POSTGRES_BIN, 'pg_ctl'))) return (skipReason = null);
  const reason = `PostgreSQL binaries not found in ${POSTGRES_BIN} (apt-get install -y postgresql)`;
  if (process.env.NUDGE_REQUIRE_POSTGRES === '1') throw new Error(`PostgreSQL tests required but ${reason}`);
  console.log(`# skipping PostgreSQL test: ${reason}`);
  return (skipReason = reason);
}

/**
 * A fresh, empty database on this process's cluster (started on first use), and its URL;
 * with `template`, a copy of that database (of this cluster, with no open connection).
 * Databases are not dropped one by one (a test's connections may outlive its hooks): the
 * whole cluster is deleted when the process exits.
 */
export async function createTestDatabase(template?: string): Promise<string> {
  const { port } = await (cluster ??= startCluster());
  const name = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const from = template ? ` TEMPLATE ${new URL(template).pathname.slice(1)}` : '';
  await withAdmin(port, (admin) => admin.query(`CREATE DATABASE ${name}${from}`));
  return `postgres://${USER}@127.0.0.1:${port}/${name}`;
}

async function withAdmin(port: number, fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client({ host: '127.0.0.1', port, user: USER, database: 'postgres' });
  await admin.connect();
  try {
    await fn(admin);
  } finally {
    await admin.end();
  }
}

/**
 * initdb refuses to run as root, so as root the cluster belongs to the `postgres` OS user
 * (Debian's package creates it) and its commands run through runuser.
 */
function asClusterOwner(command: string, args: string[]): void {
  const binary = join(POSTGRES_BIN, command);
  if (process.getuid?.() === 0) execFileSync('runuser', ['-u', 'postgres', '--', binary, ...args], { stdio: 'pipe' });
  else execFileSync(binary, args, { stdio: 'pipe' });
}

async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'nudge-pg-'));
  const data = join(dir, 'data');
  const sockets = join(dir, 'sock');
  mkdirSync(sockets);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
    chownSync(sockets, uid, gid);
  }
  process.once('exit', stopCluster);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopCluster();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  started = { dir, port: 0 };
  asClusterOwner('initdb', ['-D', data, '-A', 'trust', '-U', USER, '-E', 'UTF8', '--locale=C', '--no-sync']);
  // A port found free can be taken before the postmaster binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      // Durability settings off: these clusters hold test data only and die with the process.
      const options = `-p ${port} -k ${sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=16MB -c max_connections=60`;
      asClusterOwner('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
      started.port = port;
      return started;
    } catch (error) {
      if (attempt === 3) throw new Error(`could not start PostgreSQL: ${logTail(dir)}`, { cause: error });
    }
  }
}

/** Stops the postmaster this process started (by its data dir), then deletes the cluster. */
function stopCluster(): void {
  if (!started) return;
  const { dir } = started;
  started = null;
  const data = join(dir, 'data');
  try {
    if (existsSync(join(data, 'postmaster.pid')))
      asClusterOwner('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  } catch {
    const pid = postmasterPid(data);
    if (pid) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

function postmasterPid(data: string): number | null {
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function logTail(dir: string): string {
  try {
    return readFileSync(join(dir, 'server.log'), 'utf8').split('\n').slice(-10).join('\n');
  } catch {
    return '(no server log)';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
