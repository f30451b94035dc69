/**
 * The dead-letter store's API (Switchboard operations, `SwitchboardEvents.<Op>` on the same
 * SigV4-signed endpoint; `switchboard dlq` calls them):
 *
 *   ListDeadLetters    {EventBusName?, NextToken?, Limit?}  → {DeadLetters: [...], NextToken?}
 *   GetDeadLetter      {Id}                                  → {DeadLetter}
 *   RedriveDeadLetters {Ids} | {EventBusName?, All: true}     → {Redriven, Unknown: [ids]}
 *   DeleteDeadLetters  {Ids}                                  → {Deleted}
 *
 * Each letter carries the attributes AWS puts on a DLQ message (RULE_ARN, TARGET_ARN, ERROR_CODE,
 * ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS) and the event. A redrive turns letters
 * back into pending deliveries, with a fresh retry budget, in one transaction.
 */
import type { StoredDeadLetter } from '../../storage/index.ts';
import { BusRequestError, busNameFrom, ruleArn } from '../rules/index.ts';
import type { Operation, OperationContext } from './context.ts';
import { optionalInteger, optionalList, optionalString, type Input } from './members.ts';
import { requireBus } from './require-resource.ts';

const PAGE = 100;

function letterOut(l: StoredDeadLetter, ctx: OperationContext): Record<string, unknown> {
  return {
    Id: l.id,
    EventBusName: l.bus,
    EventId: l.eventId,
    Time: l.at / 1000,
    Attributes: {
      RULE_ARN: ruleArn(ctx.caller, l.bus, l.rule),
      TARGET_ARN: l.targetArn,
      TARGET_ID: l.targetId,
      ERROR_CODE: l.errorCode,
      ERROR_MESSAGE: l.errorMessage,
      ...(l.exhaustedRetryCondition !== undefined ? { EXHAUSTED_RETRY_CONDITION: l.exhaustedRetryCondition } : {}),
      RETRY_ATTEMPTS: String(l.retryAttempts),
    },
    Event: l.event,
  };
}

function ids(input: Input): number[] {
  const list = optionalList(input, 'Ids') ?? [];
  if (!list.every((v): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0)) {
    throw new BusRequestError('ValidationException', 'Ids must be a list of dead-letter ids (positive integers).');
  }
  return [...list];
}

export const listDeadLetters: Operation = async (input, ctx) => {
  const bus = busNameFrom('eventBusName', optionalString(input, 'EventBusName'));
  await requireBus(ctx, bus);
  const token = optionalString(input, 'NextToken');
  const after = token === undefined ? 0 : Number(token);
  if (!Number.isInteger(after) || after < 0) throw new BusRequestError('ValidationException', 'The NextToken is not valid.');
  const limit = Math.min(Math.max(optionalInteger(input, 'Limit') ?? PAGE, 1), PAGE);
  const letters = await ctx.store.listDeadLetters(bus, { after, limit });
  const last = letters[letters.length - 1];
  return { DeadLetters: letters.map((l) => letterOut(l, ctx)), ...(letters.length === limit && last !== undefined ? { NextToken: String(last.id) } : {}) };
};

export const getDeadLetter: Operation = async (input, ctx) => {
  const id = optionalInteger(input, 'Id');
  const letter = id === undefined ? undefined : await ctx.store.getDeadLetter(id);
  if (letter === undefined) throw new BusRequestError('ResourceNotFoundException', `Dead letter ${String(id)} does not exist.`);
  return { DeadLetter: letterOut(letter, ctx) };
};

export const redriveDeadLetters: Operation = async (input, ctx) => {
  let chosen = ids(input);
  if (input['All'] === true) {
    const bus = busNameFrom('eventBusName', optionalString(input, 'EventBusName'));
    await requireBus(ctx, bus);
    chosen = [];
    for (let after = 0; ; ) {
      const page = await ctx.store.listDeadLetters(bus, { after, limit: 1000 });
      chosen.push(...page.map((l) => l.id));
      const last = page[page.length - 1];
      if (page.length < 1000 || last === undefined) break;
      after = last.id;
    }
  } else if (chosen.length === 0) {
    throw new BusRequestError('ValidationException', 'Give Ids, or All: true (with EventBusName) to redrive every dead letter of a bus.');
  }
  const result = await ctx.store.redriveDeadLetters(chosen, ctx.clock.now());
  ctx.schedule(result.jobs);
  return { Redriven: result.jobs.length, Unknown: result.unknown };
};

export const deleteDeadLetters: Operation = async (input, ctx) => {
  const chosen = ids(input);
  if (chosen.length === 0) throw new BusRequestError('ValidationException', 'Ids must name at least one dead letter.');
  return { Deleted: await ctx.store.deleteDeadLetters(chosen) };
};
