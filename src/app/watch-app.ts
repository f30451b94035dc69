/**
 * `watchApp(dir, onChange)`: reloads the app when a file under its folder changes (debounced), and
 * hands the new definition, or the load error, to `onChange`. Returns a function that stops it.
 */
import { watch } from 'node:fs';
import type { AppDefinition } from './types.ts';
import { loadApp } from './load-app.ts';

export function watchApp(dir: string, onChange: (result: AppDefinition | Error) => void, debounceMs = 150): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dir, { recursive: true }, (_event, file) => {
    if (file !== null && /(^|\/)(node_modules|\.switchboard|\.git)(\/|$)/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      loadApp(dir).then(onChange, (error: unknown) => onChange(error instanceof Error ? error : new Error(String(error))));
    }, debounceMs);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
