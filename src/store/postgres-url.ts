/** What may be logged about a PostgreSQL URL: where it points, never who or with what password. */
export interface PostgresTarget {
  readonly host: string;
  readonly port: string;
  readonly database: string;
}

/** Host, port and database of a postgres:// URL, for logs (credentials and options left out). */
export function describePostgresUrl(url: string): PostgresTarget {
  try {
    const u = new URL(url);
    // A unix-socket URL names its folder in ?host= and leaves the authority empty.
    const host = u.hostname !== '' ? u.hostname : (u.searchParams.get('host') ?? 'localhost');
    return {
      host,
      port: u.port || '5432',
      database: decodeURIComponent(u.pathname.replace(/^\//, '')),
    };
  } catch {
    return { host: '(unparsable URL)', port: '', database: '' };
  }
}
