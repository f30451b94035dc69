/**
 * The context object: `$$` in JSONPath mode, `$states.context` in JSONata mode. Shape recorded on
 * AWS at a Pass state: `{Execution:{Id, Input, Name, RoleArn, StartTime, RedriveCount},
 * StateMachine:{Id, Name}, State:{Name, EnteredTime, RetryCount}}`, plus `Task.Token` in a
 * `.waitForTaskToken` task and `Map.Item.{Index, Value}` while a Map builds an iteration's input.
 */
import type { Activity, ExecutionInfo } from './execution-state.ts';
import type { Json, JsonObject } from './json.ts';

export interface ContextExtras {
  readonly taskToken?: string;
  readonly mapItem?: { readonly index: number; readonly value: Json };
}

export function contextObject(execution: ExecutionInfo, act: Activity, extras: ContextExtras = {}): JsonObject {
  const context: JsonObject = {
    Execution: {
      Id: execution.id,
      Input: execution.input,
      Name: execution.name,
      RoleArn: execution.roleArn,
      StartTime: execution.startTime,
      RedriveCount: execution.redriveCount,
    },
    StateMachine: { Id: execution.stateMachineId, Name: execution.stateMachineName },
    State: { Name: act.state, EnteredTime: act.enteredTime, RetryCount: act.retryCount },
  };
  if (extras.taskToken !== undefined) context['Task'] = { Token: extras.taskToken };
  if (extras.mapItem !== undefined) context['Map'] = { Item: { Index: extras.mapItem.index, Value: extras.mapItem.value } };
  return context;
}
