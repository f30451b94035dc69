/**
 * One measurement of bench/workflows in a process of its own, so that each contender runs with a
 * fresh heap and JIT state (in one shared process the machines and engines slow each other down
 * through the garbage collector and polymorphic call sites, by up to 2x, unevenly).
 * Usage: node --import ./bin/typescript-loader.mjs bench/peers/workflow-contender-main.ts <contender> <3|20> <executions> <inFlight> <latencyExecutions>
 * Prints one JSON line: {output, rate, cpuUs, p50, p99} (output: of the execution with id 7; cpuUs:
 * the process's CPU time per execution during the measured run, all its threads together).
 */
import { CONTENDERS, createContender, throughput, transitionLatency, type ContenderKind } from './workflow-contenders.ts';
import { threeStates, twentyStates } from './workflow-machines.ts';

const [kind, states, countText, inFlightText, latencyText] = process.argv.slice(2);
if (!CONTENDERS.includes(kind as ContenderKind) || (states !== '3' && states !== '20')) throw new Error(`usage: <${CONTENDERS.join('|')}> <3|20> <executions> <inFlight> <latencyExecutions>`);
const machine = states === '3' ? threeStates : twentyStates;
const count = Number(countText);
const inFlight = Number(inFlightText);
const latencyExecutions = Number(latencyText);

const contender = await createContender(kind as ContenderKind, machine);
const output = await contender.run(7);
// Warm-up (not counted): compilation, caches, the database's first pages.
await throughput(contender.run, Math.ceil(count / 2), inFlight, 1_000_000);
const cpuBefore = process.cpuUsage();
const rate = await throughput(contender.run, count, inFlight, 2_000_000);
const cpu = process.cpuUsage(cpuBefore);
const cpuUs = (cpu.user + cpu.system) / count;
const latency = latencyExecutions > 0 ? await transitionLatency(contender.run, machine, latencyExecutions, 3_000_000) : { p50: NaN, p99: NaN };
await contender.close();
process.stdout.write(`${JSON.stringify({ output, rate, cpuUs, ...latency })}\n`);
