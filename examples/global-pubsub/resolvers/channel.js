// publish / publishFromBus, first step: the message as the mutation's result (what subscribers get).
export const request = (ctx) => ({ payload: { name: ctx.args.name, data: ctx.args.data } });
export const response = (ctx) => ctx.result;
