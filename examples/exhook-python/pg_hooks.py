"""A hook server that decides logins from PostgreSQL and records clients' online status there.

Logins: the user's row in mqtt_user (the table of docs/integrations.md) gives password_hash and salt; the login is
allowed when password_hash is the hex SHA-256 of salt + password (EMQX's sha256 with the salt as prefix), and
refused when the user is unknown, has no password, or the password is wrong.

Online status: the same tables as Mast's OnlineStatusPlugin (mqtt_client_status, one row per client, and
mqtt_client_history, one row per ended connection); --create-tables creates them.

    /usr/bin/python3 pg_hooks.py --port 9000 --dsn "host=127.0.0.1 dbname=mqtt user=mast password=..."

Needs Debian's python3-psycopg2 and python3-grpcio, and Mast's Python SDK (sdk/python) on PYTHONPATH.
"""

import argparse
import hashlib
import hmac
import logging

import psycopg2
import psycopg2.pool

from mast_exhook import HookProvider, hook, serve

log = logging.getLogger("pg_hooks")

SCHEMA = """
CREATE TABLE IF NOT EXISTS mqtt_user (
  id serial PRIMARY KEY,
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  salt text NOT NULL DEFAULT '',
  is_superuser boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS mqtt_client_status (
  clientid text PRIMARY KEY,
  username text,
  node text NOT NULL,
  online boolean NOT NULL,
  connected_at timestamptz,
  disconnected_at timestamptz,
  peerhost text,
  peerport integer,
  proto_ver smallint,
  reason text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS mqtt_client_history (
  id bigserial PRIMARY KEY,
  clientid text NOT NULL,
  username text,
  node text NOT NULL,
  connected_at timestamptz NOT NULL,
  disconnected_at timestamptz NOT NULL,
  peerhost text,
  peerport integer,
  proto_ver smallint,
  reason text
);
"""


class PostgresHooks(HookProvider):
    """Hooks run on a pool of threads: each call takes a connection of its own from the pool."""

    def __init__(self, dsn, create_tables=False):
        self.pool = psycopg2.pool.ThreadedConnectionPool(1, 8, dsn)
        if create_tables:
            self._run(lambda cur: cur.execute(SCHEMA))

    def _run(self, work):
        conn = self.pool.getconn()
        try:
            with conn:                      # one transaction: committed, or rolled back on an exception
                with conn.cursor() as cur:
                    return work(cur)
        finally:
            self.pool.putconn(conn)

    @hook
    def on_client_authenticate(self, clientinfo, result):
        if not clientinfo.username or not clientinfo.password:
            return False

        def check(cur):
            cur.execute("SELECT password_hash, salt FROM mqtt_user WHERE username = %s LIMIT 1",
                        (clientinfo.username,))
            return cur.fetchone()

        row = self._run(check)
        if row is None:
            log.info("login %s: unknown user", clientinfo.username)
            return False
        password_hash, salt = row
        computed = hashlib.sha256((salt + clientinfo.password).encode("utf-8")).hexdigest()
        allowed = hmac.compare_digest(computed, password_hash.lower())
        log.info("login %s: %s", clientinfo.username, "allowed" if allowed else "wrong password")
        return allowed

    @hook
    def on_client_connected(self, clientinfo):
        self._run(lambda cur: cur.execute(
            "INSERT INTO mqtt_client_status AS s (clientid, username, node, online, connected_at,"
            " disconnected_at, peerhost, peerport, reason, updated_at)"
            " VALUES (%s, %s, %s, true, now(), NULL, %s, %s, NULL, now())"
            " ON CONFLICT (clientid) DO UPDATE SET username = EXCLUDED.username, node = EXCLUDED.node,"
            " online = true, connected_at = now(), disconnected_at = NULL, peerhost = EXCLUDED.peerhost,"
            " peerport = EXCLUDED.peerport, reason = NULL, updated_at = now()",
            (clientinfo.clientid, clientinfo.username or None, clientinfo.node, clientinfo.peerhost,
             clientinfo.peerport)))

    @hook
    def on_client_disconnected(self, clientinfo, reason):
        def record(cur):
            cur.execute(
                "INSERT INTO mqtt_client_history (clientid, username, node, connected_at, disconnected_at,"
                " peerhost, peerport, reason) SELECT clientid, username, node, connected_at, now(), peerhost,"
                " peerport, %s FROM mqtt_client_status WHERE clientid = %s AND online",
                (reason, clientinfo.clientid))
            cur.execute(
                "UPDATE mqtt_client_status SET online = false, disconnected_at = now(), reason = %s,"
                " updated_at = now() WHERE clientid = %s",
                (reason, clientinfo.clientid))
        self._run(record)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--dsn", required=True, help="libpq connection string, e.g. \"host=db dbname=mqtt\"")
    parser.add_argument("--create-tables", action="store_true")
    args = parser.parse_args()
    serve(PostgresHooks(args.dsn, args.create_tables), port=args.port, host=args.host)


if __name__ == "__main__":
    main()
