/** Pass: its output is `Result` (never evaluated, even `.$` keys), `Parameters`, or its input. */
import { afterInputPath, pathScope, pathStateOutput, stateOutput } from '../data-flow.ts';
import { evaluatePayloadTemplate } from '../jsonpath-mode/payload-template.ts';
import type { StateCall } from '../run.ts';

export function executePass(call: StateCall): void | Promise<void> {
  const { def, run } = call;
  if (call.language === 'JSONata') return executeJsonataPass(call);
  const filtered = afterInputPath(call);
  const result =
    def.Result !== undefined ? def.Result : def.Parameters !== undefined ? evaluatePayloadTemplate(def.Parameters, pathScope(call, filtered), run.env) : filtered;
  const { output, assigned } = pathStateOutput(call, result, true);
  run.exit(call, output, assigned);
}

async function executeJsonataPass(call: StateCall): Promise<void> {
  const { output, assigned } = await stateOutput(call, call.act.input, false);
  call.run.exit(call, output, assigned);
}
