// notifyOrderUpdated: a NONE data source resolver whose only purpose is to trigger the
// onOrderUpdated subscription (seed 003). The seed does not print its code; this is the standard
// NONE-resolver shape from the AppSync docs: pass the input through as the result.
export function request(ctx) {
  return { payload: ctx.arguments.input };
}

export function response(ctx) {
  return ctx.result;
}
