import { get } from '@aws-appsync/utils/dynamodb';
export const request = (ctx) => get({ key: { id: ctx.args.id } });
export const response = (ctx) => ctx.result;
