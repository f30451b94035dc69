/** Pass: its output is `Result` (never evaluated, even `.$` keys), `Parameters`, or its input. */
import { afterInputPath, pathScope, stateOutput } from '../data-flow.ts';
import { evaluatePayloadTemplate } from '../jsonpath-mode/payload-template.ts';
import type { StateCall } from '../run.ts';

export async function executePass(call: StateCall): Promise<void> {
  const { def, run } = call;
  if (call.language === 'JSONata') {
    const { output, assigned } = await stateOutput(call, call.act.input, false);
    run.exit(call, output, assigned);
    return;
  }
  const filtered = afterInputPath(call);
  const result =
    def.Result !== undefined ? def.Result : def.Parameters !== undefined ? evaluatePayloadTemplate(def.Parameters, pathScope(call, filtered), run.env) : filtered;
  const { output, assigned } = await stateOutput(call, result, true);
  run.exit(call, output, assigned);
}
