/** Builds a data source from its definition; the composition root passes what each type needs. */
import type { DataSourceDefinition } from '../../app/index.ts';
import type { Clock, Logger } from '../../core/index.ts';
import type { EventLog } from '../../storage/index.ts';
import type { TableService } from '../../tables/index.ts';
import type { DataSource } from '../types.ts';
import { createNoneDataSource } from './none.ts';
import { createTableDataSource } from './table.ts';
import { createEventBusDataSource } from './event-bus.ts';
import { createHttpDataSource, type HttpDataSourceOptions } from './http.ts';
import { createFunctionDataSource, type FunctionHandler } from './function.ts';

export interface DataSourceDeps {
  readonly eventLog: EventLog;
  readonly tables: TableService;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Imports a TypeScript module of the app (functions/). */
  readonly importModule: (path: string) => Promise<Record<string, unknown>>;
  /** Signer for HTTP data sources declaring `sigv4`. */
  readonly signerFor?: (def: Extract<DataSourceDefinition, { type: 'HTTP' }>) => HttpDataSourceOptions['sign'];
  /** The app's region: the `region` of events an EVENT_BUS data source puts. */
  readonly region?: string;
}

export function createDataSource(def: DataSourceDefinition, deps: DataSourceDeps): DataSource {
  switch (def.type) {
    case 'NONE':
      return createNoneDataSource();
    case 'TABLE':
      return createTableDataSource(deps.tables, def.table);
    case 'EVENT_BUS':
      return createEventBusDataSource({ bus: def.bus ?? 'default', eventLog: deps.eventLog, clock: deps.clock, ...(deps.region !== undefined ? { region: deps.region } : {}) });
    case 'HTTP': {
      const sign = def.sigv4 !== undefined ? deps.signerFor?.(def) : undefined;
      return createHttpDataSource({ endpoint: def.endpoint, ...(sign ? { sign } : {}) });
    }
    case 'FUNCTION':
      return createFunctionDataSource({
        name: def.name,
        load: async () => {
          const mod = await deps.importModule(def.handler);
          const fn = mod['handler'] ?? mod['default'];
          if (typeof fn !== 'function') throw new Error(`${def.handler} must export a function named handler (or a default export)`);
          return fn as FunctionHandler;
        },
        onAsyncError: (error) => deps.logger.log('error', 'async function invocation failed', { dataSource: def.name, error }),
        clock: deps.clock,
        ...(def.timeoutSeconds !== undefined ? { timeoutSeconds: def.timeoutSeconds } : {}),
      });
  }
}

