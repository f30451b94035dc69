/**
 * Step Functions' DynamoDB integrations (`arn:aws:states:::dynamodb:putItem|getItem|updateItem|
 * deleteItem`) on the app's tables: the DynamoDB API's input (`TableName`, `Item`, `Key`,
 * `UpdateExpression`, `ConditionExpression`, `ExpressionAttributeNames/Values`, `ReturnValues`,
 * values in DynamoDB JSON) turned into the table service's AppSync request objects, and the
 * answer into DynamoDB's output (`Item`, `Attributes`). Failures are `DynamoDB.<Exception>`.
 */
import type { AppDefinition } from '../app/index.ts';
import { marshallItem, TableError, type TableService } from '../tables/index.ts';
import { TaskFailure, type Json, type JsonObject } from '../workflows/index.ts';

export type TableTaskOperation = 'putItem' | 'getItem' | 'updateItem' | 'deleteItem';

const obj = (value: Json | undefined): JsonObject | undefined => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined);

function expression(input: JsonObject, member: string): JsonObject | undefined {
  const text = input[member];
  if (typeof text !== 'string') return undefined;
  return {
    expression: text,
    ...(obj(input['ExpressionAttributeNames']) !== undefined ? { expressionNames: input['ExpressionAttributeNames'] ?? null } : {}),
    ...(obj(input['ExpressionAttributeValues']) !== undefined ? { expressionValues: input['ExpressionAttributeValues'] ?? null } : {}),
  };
}

export async function runTableTask(app: AppDefinition, tables: TableService, operation: TableTaskOperation, input: JsonObject): Promise<Json> {
  const tableName = input['TableName'];
  if (typeof tableName !== 'string') throw new TaskFailure('DynamoDB.ValidationException', 'TableName is required');
  const table = app.tables[tableName];
  if (table === undefined) throw new TaskFailure('DynamoDB.ResourceNotFoundException', 'Requested resource not found');
  const keyNames = [table.partitionKey.name, ...(table.sortKey !== undefined ? [table.sortKey.name] : [])];
  const condition = expression(input, 'ConditionExpression');
  const returnsNew = input['ReturnValues'] === 'ALL_NEW';
  try {
    switch (operation) {
      case 'getItem': {
        const projection = expression(input, 'ProjectionExpression');
        const item = await tables.execute({ operation: 'GetItem', key: input['Key'], ...(projection !== undefined ? { projection } : {}) }, tableName);
        return item === null || item === undefined ? {} : { Item: marshallItem(item as Record<string, unknown>) as unknown as Json };
      }
      case 'putItem': {
        const item = obj(input['Item']) ?? {};
        const key: JsonObject = {};
        const attributeValues: JsonObject = {};
        for (const [k, v] of Object.entries(item)) (keyNames.includes(k) ? key : attributeValues)[k] = v;
        await tables.execute({ operation: 'PutItem', key, attributeValues, ...(condition !== undefined ? { condition } : {}) }, tableName);
        return {};
      }
      case 'updateItem': {
        const update = expression(input, 'UpdateExpression');
        const after = await tables.execute({ operation: 'UpdateItem', key: input['Key'], ...(update !== undefined ? { update } : {}), ...(condition !== undefined ? { condition } : {}) }, tableName);
        return returnsNew && after !== null ? { Attributes: marshallItem(after as Record<string, unknown>) as unknown as Json } : {};
      }
      case 'deleteItem': {
        const before = await tables.execute({ operation: 'DeleteItem', key: input['Key'], ...(condition !== undefined ? { condition } : {}) }, tableName);
        return input['ReturnValues'] === 'ALL_OLD' && before !== null ? { Attributes: marshallItem(before as Record<string, unknown>) as unknown as Json } : {};
      }
    }
  } catch (error) {
    if (error instanceof TableError) throw new TaskFailure(`DynamoDB.${error.type}`, error.message);
    throw error;
  }
}
