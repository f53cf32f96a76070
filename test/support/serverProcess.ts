import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

// The server and CLI commands as separate processes, as an operator runs them.
export const ROOT = path.resolve(__dirname, '../..');
/** node itself with tsx's loader (not the tsx wrapper), so that a child's pid is the server's. */
const NODE_TS = ['--import', 'tsx'];
export const PRODUCTION_SECRET = 'production-test-session-secret-0123456789';
/** TOTP_KEY of the production processes (64 hex characters, required in production). */
export const PRODUCTION_TOTP_KEY = '0123456789abcdef'.repeat(4);

/** A production environment with nothing from the test run's own (no DATABASE_URL, no CAPTCHA_FIXED). */
export function productionEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    SESSION_SECRET: PRODUCTION_SECRET,
    TOTP_KEY: PRODUCTION_TOTP_KEY,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Runs a TypeScript entry point (or compiled .js) to its end. */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv) {
  const loader = script.endsWith('.ts') ? NODE_TS : [];
  return spawnSync(process.execPath, [...loader, path.resolve(ROOT, script), ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export function httpGet(port: number, pathname: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathname }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

export interface ServerProcess {
  pid: number;
  output(): string;
  /** SIGTERM and wait for the exit (nothing when it has already ended). */
  stop(): Promise<void>;
}

/** Starts the server (src/server.ts or dist/server.js) and resolves once it says it listens. */
export async function startServer(script: string, env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const loader = script.endsWith('.ts') ? NODE_TS : [];
  const child = spawn(process.execPath, [...loader, path.resolve(ROOT, script)], { cwd: ROOT, env });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  child.stderr.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      output += d;
      if (output.includes('已启动')) resolve();
    });
    exited.then(() => reject(new Error(`server exited:\n${output}`)));
  });
  return { pid: child.pid!, output: () => output, stop };
}
