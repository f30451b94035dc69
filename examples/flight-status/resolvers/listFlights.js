import { scan } from '@aws-appsync/utils/dynamodb';
export const request = () => scan({ limit: 100 });
export const response = (ctx) => ctx.result.items;
