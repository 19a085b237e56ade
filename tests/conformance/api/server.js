// Starts a real `bench serve` on a fresh site in a throwaway bench folder, for the suite.
// SB_CONFORMANCE_DB=mariadb (default sqlite) picks the database; SB_BENCH overrides the
// bench executable (default: the repository's ./bench wrapper, which builds when needed).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..');
const benchExe = process.env.SB_BENCH || join(repo, 'bench');
export const dbKind = (process.env.SB_CONFORMANCE_DB || 'sqlite').toLowerCase();

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

function dbArgs() {
  if (dbKind === 'mariadb') {
    return ['--db-type', 'mariadb', '--db-host', process.env.SB_MARIADB_HOST || '127.0.0.1',
      '--db-port', process.env.SB_MARIADB_PORT || '13306',
      '--db-root-username', process.env.SB_MARIADB_ROOT_USER || 'root',
      '--db-root-password', process.env.SB_MARIADB_ROOT_PASSWORD || 'root'];
  }
  if (dbKind === 'postgres') {
    return ['--db-type', 'postgres', '--db-host', process.env.SB_POSTGRES_HOST || '127.0.0.1',
      '--db-port', process.env.SB_POSTGRES_PORT || '15432',
      '--db-root-username', process.env.SB_POSTGRES_ROOT_USER || 'postgres',
      '--db-root-password', process.env.SB_POSTGRES_ROOT_PASSWORD || 'postgres'];
  }
  return ['--db-type', 'sqlite'];
}

export async function startBench() {
  const root = mkdtempSync(join(tmpdir(), 'sb-conformance-'));
  const site = `conf${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}.localhost`;
  const run = (...args) => execFileSync(benchExe, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  run('new-site', site, '--admin-password', 'admin', '--set-default', ...dbArgs());
  const port = await freePort();
  const proc = spawn(benchExe, ['serve', '--port', String(port), '--bind', '127.0.0.1'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/api/method/ping`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (proc.exitCode !== null || Date.now() > deadline) {
      throw new Error(`bench serve did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    site,
    root,
    log: () => log,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      if (dbKind !== 'sqlite') {
        const a = dbArgs();
        const opt = (name) => a[a.indexOf(name) + 1];
        try {
          run('drop-site', site, '--db-root-username', opt('--db-root-username'), '--db-root-password', opt('--db-root-password'));
        } catch { /* best effort: the test already reported */ }
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

// Node's axios keeps no cookies; a browser would. This gives one FrappeApp a cookie jar by
// hooking its axios instance (the SDK itself is untouched).
export function withCookieJar(app) {
  const jar = new Map();
  app.axios.interceptors.request.use((config) => {
    if (jar.size) config.headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    return config;
  });
  const store = (headers) => {
    for (const c of headers?.['set-cookie'] ?? []) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim()));
      if (expired) jar.delete(name); else jar.set(name, pair.slice(i + 1));
    }
  };
  app.axios.interceptors.response.use((r) => { store(r.headers); return r; }, (e) => { store(e.response?.headers); return Promise.reject(e); });
  app.cookies = jar;
  return app;
}
