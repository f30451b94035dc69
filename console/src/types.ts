/** The shapes the console API and the bus / Step Functions operations answer with. */

export type { ConnectionsView, PushView, StreamEvent, StreamPage } from '../../src/server/console/wire.ts';

export interface SessionInfo {
  readonly app: string;
  readonly region: string;
  readonly authMode: string;
  readonly user: string | null;
  readonly push: boolean;
  readonly workflows: boolean;
}

export interface EventBus {
  readonly Name: string;
  readonly Arn: string;
  readonly Description?: string;
}

export interface Rule {
  readonly Name: string;
  readonly Arn: string;
  readonly EventBusName: string;
  readonly State: string;
  readonly EventPattern?: string;
  readonly ScheduleExpression?: string;
  readonly Description?: string;
}

export interface Target {
  readonly Id: string;
  readonly Arn: string;
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: { readonly InputPathsMap?: Readonly<Record<string, string>>; readonly InputTemplate: string };
  readonly RetryPolicy?: { readonly MaximumRetryAttempts?: number; readonly MaximumEventAgeInSeconds?: number };
  readonly DeadLetterConfig?: { readonly Arn?: string };
}

export interface DeadLetter {
  readonly Id: number;
  readonly EventBusName: string;
  readonly EventId: string;
  readonly Time: number;
  readonly Attributes: Readonly<Record<string, string>>;
  readonly Event: string;
}

export interface TargetTrace {
  readonly id: string;
  readonly arn: string;
  readonly input: string | null;
  readonly attempts: readonly { readonly attempt: number; readonly at: string; readonly outcome: string; readonly code?: string; readonly message?: string }[];
  readonly pending: boolean;
}

export interface EventTrace {
  readonly eventId: string;
  readonly bus: string;
  readonly receivedAt: string;
  readonly event: Readonly<Record<string, unknown>>;
  readonly rules: readonly { readonly name: string; readonly state: string; readonly matched: boolean; readonly failedField?: string; readonly targets?: readonly TargetTrace[] }[];
}

export interface StateMachineItem {
  readonly stateMachineArn: string;
  readonly name: string;
  readonly type: string;
  readonly creationDate: number;
}

export interface ExecutionItem {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: string;
  readonly startDate: number;
  readonly stopDate?: number;
}

export interface ExecutionDescription extends ExecutionItem {
  readonly input?: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}
