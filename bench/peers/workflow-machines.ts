/**
 * The state machines of bench/workflows: Pass, Choice and Task states (every Task calls the
 * function `work`, answered in process), with 3 and 20 states.
 */
export const WORK_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:work';

export interface BenchMachine {
  readonly name: string;
  readonly definition: object;
  readonly taskStates: readonly string[];
  /** Task → Pass → Choice → Task: the transitions between two task calls of one execution. */
  readonly transitionsBetweenTasks: number;
}

/** Pass → Choice → Task (End). */
export const threeStates: BenchMachine = {
  name: 'Bench3',
  definition: {
    StartAt: 'Init',
    States: {
      Init: { Type: 'Pass', Parameters: { 'id.$': '$.id', stage: 'init' }, Next: 'Route' },
      Route: { Type: 'Choice', Choices: [{ Variable: '$.id', NumericGreaterThanEquals: 0, Next: 'Work' }], Default: 'Work' },
      Work: { Type: 'Task', Resource: WORK_ARN, End: true },
    },
  },
  taskStates: ['Work'],
  transitionsBetweenTasks: 3,
};

/** Init, then 6 × (Pass → Choice → Task), then Succeed: 20 states, 6 task calls. */
export const twentyStates: BenchMachine = (() => {
  const states: Record<string, object> = { Init: { Type: 'Pass', Parameters: { 'id.$': '$.id', stage: 'init' }, Next: 'Mark1' } };
  const taskStates: string[] = [];
  for (let i = 1; i <= 6; i++) {
    states[`Mark${i}`] = { Type: 'Pass', Result: i, ResultPath: '$.mark', Next: `Route${i}` };
    states[`Route${i}`] = { Type: 'Choice', Choices: [{ Variable: '$.mark', NumericLessThan: 100, Next: `Work${i}` }], Default: 'Done' };
    states[`Work${i}`] = { Type: 'Task', Resource: WORK_ARN, ResultPath: '$.work', Next: i < 6 ? `Mark${i + 1}` : 'Done' };
    taskStates.push(`Work${i}`);
  }
  states['Done'] = { Type: 'Succeed' };
  return { name: 'Bench20', definition: { StartAt: 'Init', States: states }, taskStates, transitionsBetweenTasks: 3 };
})();
