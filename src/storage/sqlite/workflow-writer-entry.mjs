// The workflow writer thread's entry (workflow-writer.ts starts it). A worker thread does not
// inherit the module hooks the main thread registered at run time, so it registers the package's
// TypeScript loader itself before it loads the thread's code.
import '../../../bin/typescript-loader.mjs';

await import('./workflow-writer-thread.ts');
