// Preloaded (`--expose-gc --require`) into the servers bench/fanout measures, ours and the peers
// alike: SIGUSR2 runs a full garbage collection, so that resident memory is read after one rather
// than at whatever point of V8's heap growth the server happens to be.
process.on('SIGUSR2', () => {
  if (typeof globalThis.gc === 'function') globalThis.gc();
});
