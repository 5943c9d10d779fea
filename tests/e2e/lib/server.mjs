// Starts a real `binhan demo` for a test file: its own data folder in a temporary
// folder, a free port on 127.0.0.1, ready once /readyz answers 200; stopped with
// SIGINT (a graceful stop) by `stop()`.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The binary under test: $BINHAN_BIN, else the debug build of this checkout. */
export function binhanBin() {
  if (process.env.BINHAN_BIN) return process.env.BINHAN_BIN;
  const targetDir = process.env.CARGO_TARGET_DIR || path.join(repoRoot, 'target');
  return path.join(targetDir, 'debug', 'binhan');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** The environment without any BINHAN_ setting of the caller's shell. */
function cleanEnv(extra) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('BINHAN_')) env[key] = value;
  }
  return { ...env, ...extra };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `binhan demo` and waits until it is ready.
 * @param {{ env?: Record<string,string>, readyWithinMs?: number }} [options]
 * @returns {Promise<{ url: string, port: number, output: () => string, stop: () => Promise<void> }>}
 */
export async function startServer({ env = {}, readyWithinMs = 180_000 } = {}) {
  const tempRoot = await mkdtemp(path.join(tmpdir(), 'binhan-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(binhanBin(), ['demo', '--data-dir', path.join(tempRoot, 'data')], {
    env: cleanEnv({ BINHAN_BIND: `127.0.0.1:${port}`, BINHAN_LOG: 'warn', BINHAN_WORKERS: '2', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    });
    child.on('error', (error) => {
      exited = { code: null, signal: null, error };
      resolve(exited);
    });
  });

  const stop = async () => {
    if (!exited) {
      child.kill('SIGINT');
      const timeout = sleep(20_000).then(() => 'timeout');
      if ((await Promise.race([exit, timeout])) === 'timeout') {
        child.kill('SIGKILL');
        await exit;
      }
    }
    await rm(tempRoot, { recursive: true, force: true });
  };

  const started = Date.now();
  for (;;) {
    if (exited) {
      await stop();
      const why = exited.error ? exited.error.message : `exit ${exited.code ?? exited.signal}`;
      throw new Error(`binhan demo (${binhanBin()}) stopped before it was ready: ${why}\n${output}`);
    }
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > readyWithinMs) {
      await stop();
      throw new Error(`binhan demo was not ready within ${readyWithinMs} ms\n${output}`);
    }
    await sleep(100);
  }
  return { url, port, output: () => output, stop };
}

/**
 * The demo accounts `binhan demo` printed: role → { username, password, secret }
 * (secret: the base32 second-factor secret, or null for roles without one).
 * @param {string} output what the demo printed
 */
export function demoAccounts(output) {
  const accounts = {};
  const line = /^\s+(social_worker|supervisor|safe_house_staff|committee_member|admin)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/gm;
  for (const [, role, username, password, secret] of output.matchAll(line)) {
    accounts[role] = { username, password, secret: secret === '-' ? null : secret };
  }
  return accounts;
}
