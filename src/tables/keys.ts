/**
 * Keys: checking a request's key map against the table's key schema and turning key values into
 * the store's `ItemRef` (partition text + ordered sort value).
 */
import type { KeyAttribute, TableDefinition } from '../app/index.ts';
import type { ItemRef, SortKeyValue } from '../storage/index.ts';
import { typeOf, canonicalNumber, type AttributeValue, type Item } from './attribute-value.ts';
import { validation } from './errors.ts';
import { addDecimal } from './expressions/decimal.ts';

export function keyNames(table: TableDefinition): string[] {
  return table.sortKey === undefined ? [table.partitionKey.name] : [table.partitionKey.name, table.sortKey.name];
}

/** Validates a `key` map of a GetItem/DeleteItem/UpdateItem request. */
export function checkKey(table: TableDefinition, key: Item): void {
  const names = keyNames(table);
  const given = Object.keys(key);
  if (given.length !== names.length || !names.every((n) => key[n] !== undefined)) {
    throw validation('The provided key element does not match the schema');
  }
  for (const attr of keyAttributes(table)) {
    const value = key[attr.name] as AttributeValue;
    if (typeOf(value) !== attr.type) throw validation('The provided key element does not match the schema');
    checkNotEmpty(attr.name, value);
  }
}

/** Validates that a full item carries its key attributes with the declared types (PutItem). */
export function checkItemKey(table: TableDefinition, item: Item): void {
  for (const attr of keyAttributes(table)) {
    const value = item[attr.name];
    if (value === undefined) throw validation(`One or more parameter values were invalid: Missing the key ${attr.name} in the item`);
    const actual = typeOf(value);
    if (actual !== attr.type) {
      throw validation(`One or more parameter values were invalid: Type mismatch for key ${attr.name} expected: ${attr.type} actual: ${actual}`);
    }
    checkNotEmpty(attr.name, value);
  }
}

/**
 * Validates the secondary index key attributes an item carries (PutItem, and UpdateItem's result):
 * an index key may be absent (the item is then not in that sparse index) but, when present, must
 * have the declared type and must not be empty, as DynamoDB refuses such writes.
 */
export function checkIndexKeys(table: TableDefinition, item: Item): void {
  for (const [indexName, index] of Object.entries(table.indexes)) {
    for (const attr of index.sortKey === undefined ? [index.partitionKey] : [index.partitionKey, index.sortKey]) {
      const value = item[attr.name];
      if (value === undefined) continue;
      const actual = typeOf(value);
      if (actual !== attr.type) {
        throw validation(`One or more parameter values were invalid: Type mismatch for Index Key ${attr.name} Expected: ${attr.type} Actual: ${actual} IndexName: ${indexName}`);
      }
      if (isEmptyKeyValue(value)) {
        throw validation(
          `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${'S' in value ? 'string' : 'binary'} value. IndexName: ${indexName}, IndexKey: ${attr.name}`,
        );
      }
    }
  }
}

function isEmptyKeyValue(value: AttributeValue): boolean {
  return ('S' in value && value.S === '') || ('B' in value && value.B === '');
}

function checkNotEmpty(name: string, value: AttributeValue): void {
  if (isEmptyKeyValue(value)) {
    throw validation(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${'S' in value ? 'string' : 'binary'} value. Key: ${name}`);
  }
}

function keyAttributes(table: TableDefinition): KeyAttribute[] {
  return table.sortKey === undefined ? [table.partitionKey] : [table.partitionKey, table.sortKey];
}

export function keyOf(table: TableDefinition, item: Item): Item {
  const key: Record<string, AttributeValue> = {};
  for (const name of keyNames(table)) key[name] = item[name] as AttributeValue;
  return key;
}

/** Key value as stored text: S as is, N canonical, B as hex so text order is byte order. */
export function keyText(value: AttributeValue): string {
  if ('S' in value) return value.S;
  if ('N' in value) return numberKeyText(value.N);
  if ('B' in value) return Buffer.from(value.B, 'base64').toString('hex');
  throw validation('The provided key element does not match the schema');
}

export function sortValue(value: AttributeValue): SortKeyValue {
  if ('N' in value) return { n: Number(value.N), text: numberKeyText(value.N) };
  return { text: keyText(value) };
}

/**
 * One text per number value. `String(Number(x))` where that is exact (the texts written so far),
 * the exact decimal otherwise: two numbers one double apart (beyond 15-17 digits) are different
 * keys in DynamoDB and must not overwrite each other here.
 */
function numberKeyText(text: string): string {
  const exact = addDecimal(text, '0');
  const approx = canonicalNumber(text);
  return addDecimal(approx, '0') === exact ? approx : exact;
}

export function refOf(table: TableDefinition, key: Item): ItemRef {
  const pk = keyText(key[table.partitionKey.name] as AttributeValue);
  const sk = table.sortKey === undefined ? null : sortValue(key[table.sortKey.name] as AttributeValue);
  return { table: table.name, pk, sk };
}
