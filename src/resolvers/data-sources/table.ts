/**
 * TABLE: the DynamoDB data source. Runs the request object on the table service; DynamoDB's
 * exceptions become `ctx.error` with AppSync's `DynamoDB:<Exception>` type.
 */
import { TableError, type TableService } from '../../tables/index.ts';
import { DataSourceError, type DataSource } from '../types.ts';

export function createTableDataSource(tables: TableService, table: string): DataSource {
  return {
    type: 'TABLE',
    async invoke(request) {
      try {
        return await tables.execute(request, table);
      } catch (error) {
        if (error instanceof TableError) throw new DataSourceError(`DynamoDB:${error.type}`, error.message, error.result);
        throw error;
      }
    },
  };
}
