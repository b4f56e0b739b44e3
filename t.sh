#!/bin/sh
cd /work/wt/privacy && DATABASE_URL=postgres://postgres@127.0.0.1:5432/binjai_privacy REDIS_URL=redis://127.0.0.1:6401/1 CACHE_URL=redis://127.0.0.1:6401/2 .venv/bin/pytest --liveserver 127.0.0.1:23100 "$@"
