import { randomBytes } from 'node:crypto';
import type { GenericContainer } from 'testcontainers';
import type { ServiceEndpoint } from '../core/service.js';
import { ContainerService, type ContainerSpec } from './container-service.js';
import type { Testcontainers } from './runtime-availability.js';

const SQL = 1433;
const SYSTEM_DATABASES = 4; // master, tempdb, model, msdb have database_id 1 to 4
const SQLCMD = ['/opt/mssql-tools18/bin/sqlcmd', '/opt/mssql-tools/bin/sqlcmd'];

/**
 * Microsoft SQL Server, the store of the Service Bus emulator and usable on
 * its own. The `sa` password is generated per service and published to
 * dependents through the container link.
 *
 * Reset: drops the databases created since the first reset. The runtime
 * resets once right after everything started, so what dependents such as
 * the Service Bus emulator create at their start survives; what tests
 * create does not. The container is never recreated, because dependents
 * hold connections to it.
 */
export class MssqlContainerService extends ContainerService {
  protected readonly spec: ContainerSpec = {
    name: 'mssql',
    description: 'Microsoft SQL Server in a container (store of the Service Bus emulator)',
    dependencies: [],
    ports: [SQL],
  };
  readonly password = generatePassword();
  #baseline: string[] | undefined;

  protected configure(container: GenericContainer, tc: Testcontainers): GenericContainer {
    return container
      .withEnvironment({ MSSQL_SA_PASSWORD: this.password })
      .withWaitStrategy(tc.Wait.forLogMessage(/Recovery is complete/))
      .withStartupTimeout(120_000);
  }

  protected override linkSettings(): Record<string, string> {
    return { user: 'sa', password: this.password, port: String(SQL) };
  }

  protected async clear(): Promise<void> {
    if (!this.#baseline) {
      this.#baseline = await this.#userDatabases();
      return;
    }
    await this.#sql(dropDatabasesExcept(this.#baseline));
  }

  override getEndpoint(): ServiceEndpoint | undefined {
    if (this.state !== 'RUNNING') return undefined;
    const address = this.hostAddress(SQL);
    return {
      url: `mssql://${address}`,
      connectionString: sqlConnectionString(address.replace(/:(\d+)$/, ',$1'), this.password),
      env: { LOCALZURE_MSSQL_PASSWORD: this.password },
    };
  }

  async #userDatabases(): Promise<string[]> {
    const output = await this.#sql(`SET NOCOUNT ON; SELECT name FROM sys.databases WHERE database_id > ${SYSTEM_DATABASES};`);
    return output.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  }

  // sqlcmd ships inside the image, so no SQL client library is needed on the host.
  async #sql(query: string): Promise<string> {
    let last = '';
    for (const sqlcmd of SQLCMD) {
      const result = await this.container.exec([sqlcmd, '-S', 'localhost', '-U', 'sa', '-P', this.password, '-C', '-b', '-h', '-1', '-W', '-Q', query]);
      if (result.exitCode === 0) return result.stdout;
      last = `${sqlcmd} exited with ${result.exitCode}: ${result.output.trim()}`;
      if (result.exitCode !== 126 && result.exitCode !== 127) break;
    }
    throw new Error(`SQL Server reset failed: ${last}`);
  }
}

/** One T-SQL batch dropping every user database not named in `keep`, closing open connections first. */
export function dropDatabasesExcept(keep: string[]): string {
  const kept = keep.length ? ` AND name NOT IN (${keep.map((name) => `N'${name.replace(/'/g, "''")}'`).join(', ')})` : '';
  return [
    "SET NOCOUNT ON; DECLARE @sql nvarchar(max) = N'';",
    "SELECT @sql += N'ALTER DATABASE ' + QUOTENAME(name) + N' SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE ' + QUOTENAME(name) + N';'",
    `FROM sys.databases WHERE database_id > ${SYSTEM_DATABASES}${kept};`,
    'EXEC sp_executesql @sql;',
  ].join(' ');
}

/** ADO-style, as `mssql`/tedious and most SQL Server clients accept; the container's certificate is self-signed. */
export function sqlConnectionString(server: string, password: string): string {
  return `Server=${server};Database=master;User Id=sa;Password=${password};Encrypt=true;TrustServerCertificate=true;`;
}

/** Meets SQL Server's policy: at least eight characters from upper case, lower case, digits and symbols. */
export function generatePassword(): string {
  return `Lz1!${randomBytes(12).toString('base64url')}`;
}

export default MssqlContainerService;
