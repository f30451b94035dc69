/**
 * CreateEventBus, DescribeEventBus, ListEventBuses, DeleteEventBus. The `default` bus always
 * exists; deleting a custom bus deletes its rules and their targets with it.
 */
import type { StoredBus } from '../../storage/index.ts';
import { BusRequestError, busArn, busNameFrom, checkBusName, DEFAULT_BUS_NAME, LIMIT_EXCEEDED_MESSAGE, validationError, type ArnScope } from '../rules/index.ts';
import type { Operation } from './context.ts';
import { optionalString } from './members.ts';
import { pageOf, readPage } from './pagination.ts';
import { busNotFound } from './require-resource.ts';

const seconds = (ms: number): number => ms / 1000;

function busJson(bus: StoredBus, scope: ArnScope) {
  return {
    Name: bus.name,
    Arn: busArn(scope, bus.name),
    ...(bus.description !== undefined ? { Description: bus.description } : {}),
    CreationTime: seconds(bus.createdAt),
    LastModifiedTime: seconds(bus.updatedAt),
  };
}

export const createEventBus: Operation = async (input, ctx) => {
  const name = checkBusName('name', optionalString(input, 'Name'));
  const description = optionalString(input, 'Description');
  if (description !== undefined && description.length > 512) {
    throw validationError("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 512");
  }
  const source = optionalString(input, 'EventSourceName');
  // Partner event sources do not exist here, so neither can a partner bus (the only kind with `/`).
  if (source !== undefined) throw new BusRequestError('ResourceNotFoundException', `Event source ${source} does not exist.`);
  if (name.includes('/')) throw validationError(`Event bus name must not contain '/'.`);
  const now = ctx.clock.now();
  const outcome = name === DEFAULT_BUS_NAME ? 'exists' : await ctx.store.createBus({ name, ...(description !== undefined ? { description } : {}), createdAt: now, updatedAt: now }, ctx.limits.maxBuses);
  if (outcome === 'exists') throw new BusRequestError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
  if (outcome === 'limit') throw new BusRequestError('LimitExceededException', LIMIT_EXCEEDED_MESSAGE);
  return { EventBusArn: busArn(ctx.caller, name), ...(description !== undefined ? { Description: description } : {}) };
};

export const describeEventBus: Operation = async (input, ctx) => {
  const name = busNameFrom('name', optionalString(input, 'Name'));
  const bus = await ctx.store.getBus(name);
  if (bus === undefined) throw busNotFound(name);
  return busJson(bus, ctx.caller);
};

export const listEventBuses: Operation = async (input, ctx) => {
  const prefix = optionalString(input, 'NamePrefix');
  if (prefix !== undefined) checkBusName('namePrefix', prefix);
  const page = readPage(input);
  const buses = await ctx.store.listBuses({ ...(prefix !== undefined ? { prefix } : {}), after: page.after, limit: page.limit + 1 });
  const shown = pageOf(buses, page, (b) => b.name);
  return { EventBuses: shown.items.map((b) => busJson(b, ctx.caller)), ...(shown.nextToken !== undefined ? { NextToken: shown.nextToken } : {}) };
};

export const deleteEventBus: Operation = async (input, ctx) => {
  const name = checkBusName('name', optionalString(input, 'Name'));
  if (name === DEFAULT_BUS_NAME) throw validationError('Cannot delete event bus default.');
  // Deleting a bus that does not exist succeeds, as in AWS.
  await ctx.store.deleteBus(name);
  return {};
};
