// publishMsgFromEB: a NONE data source resolver (seed 002). EventBridge calls it as an IAM
// principal; its only purpose is to trigger onPublishMsgFromEb, so it passes the message through.
export function request(ctx) {
  return { payload: ctx.arguments.msg };
}

export function response(ctx) {
  return ctx.result;
}
