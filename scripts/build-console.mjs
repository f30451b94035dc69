#!/usr/bin/env node
// Builds the web console (console/, React + Vite) into console/dist with Vite's programmatic
// `build()`. Runs from `npm install` (postinstall), and the server calls `buildConsole()` when
// `consoleIsStale()` (dist missing or older than a source file). Vite is imported only when a
// build actually runs. The build goes to a temporary folder first and is then swapped in, so a
// page being served never sees a half-written dist and two builds at once do not mix files.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const CONSOLE_DIR = fileURLToPath(new URL('../console/', import.meta.url));
export const DIST_DIR = join(CONSOLE_DIR, 'dist');

/** Newest modification time (ms) of the console's sources. */
function newestSource() {
  let newest = 0;
  const visit = (path) => {
    const s = statSync(path);
    if (s.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, s.mtimeMs);
  };
  for (const name of ['src', 'index.html', 'vite.config.ts']) {
    const path = join(CONSOLE_DIR, name);
    if (existsSync(path)) visit(path);
  }
  return newest;
}

/** True when console/dist/index.html is missing or older than any file of console/src. */
export function consoleIsStale() {
  const index = join(DIST_DIR, 'index.html');
  if (!existsSync(index)) return true;
  return statSync(index).mtimeMs < newestSource();
}

/** Builds console/ into console/dist; resolves with how long it took (ms). */
export async function buildConsole({ logLevel = 'warn' } = {}) {
  const started = performance.now();
  const { build } = await import('vite');
  const tmp = join(CONSOLE_DIR, `.dist-${process.pid}-${Date.now()}`);
  try {
    await build({ configFile: join(CONSOLE_DIR, 'vite.config.ts'), root: CONSOLE_DIR, logLevel, build: { outDir: tmp, emptyOutDir: true } });
    const old = join(CONSOLE_DIR, `.dist-old-${process.pid}-${Date.now()}`);
    try {
      renameSync(DIST_DIR, old);
    } catch (error) {
      // No dist yet, or another build just moved it away: either way there is nothing to keep.
      if (error?.code !== 'ENOENT') throw error;
    }
    try {
      renameSync(tmp, DIST_DIR);
    } catch (error) {
      // Another build swapped its own dist in meanwhile: keep that one.
      if (!existsSync(join(DIST_DIR, 'index.html'))) throw error;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return performance.now() - started;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const ms = await buildConsole({ logLevel: 'warn' });
    process.stdout.write(`switchboard console: built console/dist in ${(ms / 1000).toFixed(1)} s\n`);
  } catch (error) {
    // An install must not fail for this: the server builds the console again at start.
    process.stderr.write(`switchboard console: build failed (the server retries at start): ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
