/**
 * Makes sure console/dist is there and current before it is served: when it is missing or older
 * than console/src, `scripts/build-console.mjs` builds it (Vite is loaded only then, never on an
 * ordinary start). One build at a time per process; callers wait for the running one.
 */
import type { Logger } from '../../core/index.ts';

interface BuildScript {
  readonly DIST_DIR: string;
  consoleIsStale(): boolean;
  buildConsole(options?: { logLevel?: 'silent' | 'warn' | 'info' }): Promise<number>;
}

const SCRIPT = new URL('../../../scripts/build-console.mjs', import.meta.url).href;

let script: Promise<BuildScript> | undefined;
let running: Promise<void> | undefined;

const loadScript = (): Promise<BuildScript> => (script ??= import(SCRIPT) as Promise<BuildScript>);

/** The folder the console is served from. */
export async function consoleDistDir(): Promise<string> {
  return (await loadScript()).DIST_DIR;
}

/** Resolves once console/dist is current; rejects when the build fails. */
export async function ensureConsoleBuilt(logger?: Logger): Promise<void> {
  if (running !== undefined) return running;
  const build = await loadScript();
  if (!build.consoleIsStale()) return;
  running ??= (async () => {
    try {
      logger?.log('info', 'building the console (console/ changed or was never built)', {});
      const ms = await build.buildConsole({ logLevel: 'silent' });
      logger?.log('info', 'console built', { ms: Math.round(ms) });
    } finally {
      running = undefined;
    }
  })();
  return running;
}
