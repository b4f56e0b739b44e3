import argparse

from .server import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m simulators.bpjs", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8031)
    parser.add_argument("--cons-id", default="1000")
    parser.add_argument("--secret", default="demo-secret")
    parser.add_argument("--user-key", default="demo-user-key")
    parser.add_argument(
        "--accept-unknown",
        action="store_true",
        help="take task times for any booking code (as if Mobile JKN had told BPJS)",
    )
    args = parser.parse_args()
    serve(
        host=args.host,
        port=args.port,
        cons_id=args.cons_id,
        secret=args.secret,
        user_key=args.user_key,
        accept_unknown=args.accept_unknown,
    )


if __name__ == "__main__":
    main()
