/**
 * `SwitchboardEvents.GetEventTrace {EventId, EventBusName?}` → the event's trace (see
 * `bus/trace/`); also served as `GET /events/<id>/trace` and `switchboard trace <id>`.
 */
import { BusRequestError, busNameFrom } from '../rules/index.ts';
import { traceEvent } from '../trace/index.ts';
import type { Operation } from './context.ts';
import { optionalString, requiredString } from './members.ts';
import { requireBus } from './require-resource.ts';

export const getEventTrace: Operation = async (input, ctx) => {
  const eventId = requiredString(input, 'EventId', 'eventId');
  const bus = busNameFrom('eventBusName', optionalString(input, 'EventBusName'));
  await requireBus(ctx, bus);
  const trace = await traceEvent(ctx, bus, eventId);
  if (trace === undefined) throw new BusRequestError('ResourceNotFoundException', `Event ${eventId} is not in event bus ${bus}. Events are kept for the server's --event-retention (24h by default) once delivered.`);
  return trace;
};
