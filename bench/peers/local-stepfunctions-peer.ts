/**
 * The peer of bench/workflows: `aws-local-stepfunctions` (an in-memory ASL interpreter), running a
 * definition with every Task state answered by an in-process handler
 * (`overrides.taskResourceLocalHandlers`, keyed by state name), as its README shows.
 *
 * Its 3.0.0 build calls `Promise.withResolvers` (Node >= 22); on Node 20 the standard behaviour is
 * installed here, in the bench process only.
 */
import { StateMachine } from 'aws-local-stepfunctions';

type Resolvers<T> = { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void };
const promiseStatics = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
promiseStatics.withResolvers ??= <T>(): Resolvers<T> => {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
};

export type PeerHandler = (input: unknown) => unknown;

export interface PeerMachine {
  run(input: unknown): Promise<unknown>;
}

export function peerMachine(definition: object, taskStates: readonly string[], handler: PeerHandler): PeerMachine {
  const machine = new StateMachine(definition as ConstructorParameters<typeof StateMachine>[0]);
  const handlers = Object.fromEntries(taskStates.map((name) => [name, async (input: unknown) => handler(input)]));
  const options = { overrides: { taskResourceLocalHandlers: handlers } } as Parameters<StateMachine['run']>[1];
  return { run: (input) => machine.run(input as Parameters<StateMachine['run']>[0], options).result };
}
