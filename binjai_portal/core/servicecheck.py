"""`python -m binjai_portal.core.servicecheck`: do PostgreSQL and Redis answer?

Used by `make test` before the suite, so that a missing service gives one clear line
on how to start it instead of hundreds of failing tests.
"""

import os
import sys
from urllib.parse import urlparse

HOW_TO = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
}


def main() -> int:
    problems = []
    db_url = urlparse(os.environ["DATABASE_URL"])
    try:
        import psycopg

        psycopg.connect(
            host=db_url.hostname,
            port=db_url.port or 5432,
            user=db_url.username or "postgres",
            password=db_url.password,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except Exception as exc:  # noqa: BLE001
        problems.append(("PostgreSQL", f"{db_url.hostname}:{db_url.port}", exc))
    try:
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        problems.append(("Redis", os.environ["REDIS_URL"], exc))
    for name, where, exc in problems:
        print(f"{name} does not answer at {where} ({type(exc).__name__}).", file=sys.stderr)
        print(f"  Start it with:  {HOW_TO[name]}", file=sys.stderr)
    if not problems:
        print("PostgreSQL and Redis answer.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
