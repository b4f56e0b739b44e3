import argparse

from .server import serve


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m simulators.sms", description="SMS gateway simulator"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--token", default="", help="bearer token to require (empty: any)")
    args = parser.parse_args()
    serve(host=args.host, port=args.port, token=args.token)


if __name__ == "__main__":
    main()
