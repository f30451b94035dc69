/** What every table operation needs: the store and the app's table definitions. */
import type { TableDefinition } from '../../app/index.ts';
import type { TableStore } from '../../storage/index.ts';
import { TableError } from '../errors.ts';
import type { Item } from '../attribute-value.ts';

export interface OperationContext {
  readonly store: TableStore;
  readonly tables: Readonly<Record<string, TableDefinition>>;
}

export function tableNamed(ctx: OperationContext, name: string | undefined): TableDefinition {
  const table = name === undefined ? undefined : ctx.tables[name];
  if (table === undefined) throw new TableError('ResourceNotFoundException', `Requested resource not found: Table: ${name ?? '(none)'} not found`);
  return table;
}

export function parseStored(text: string | undefined): Item | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as Item);
}
