/** Where a tenant's database lives: a PGlite folder under the data directory, or a database on a server. */
export type Placement =
  | { readonly engine: 'pglite'; readonly dataPath: string }
  | { readonly engine: 'postgres'; readonly serverName: string; readonly databaseName: string };

/** The registry columns a placement is read from. */
export interface PlacementColumns {
  engine: 'pglite' | 'postgres';
  dataPath: string | null;
  serverName: string | null;
  databaseName: string | null;
}

export function placementOf(row: PlacementColumns): Placement {
  if (row.engine === 'pglite' && row.dataPath) {
    return { engine: 'pglite', dataPath: row.dataPath };
  }
  if (row.engine === 'postgres' && row.serverName && row.databaseName) {
    return { engine: 'postgres', serverName: row.serverName, databaseName: row.databaseName };
  }
  throw new Error(`incomplete tenant placement (${row.engine})`);
}

export function describePlacement(p: Placement): string {
  return p.engine === 'pglite' ? `pglite:${p.dataPath}` : `postgres:${p.serverName}/${p.databaseName}`;
}
