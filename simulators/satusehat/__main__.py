import argparse

from .server import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m simulators.satusehat")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8032)
    parser.add_argument("--client-id", default="demo-client")
    parser.add_argument("--client-secret", default="demo-secret")
    parser.add_argument("--organization", default="demo-org")
    parser.add_argument("--any-nik", action="store_true", help="find a patient for any NIK")
    args = parser.parse_args()
    serve(
        host=args.host,
        port=args.port,
        any_nik=args.any_nik,
        clients={args.client_id: {"secret": args.client_secret, "organization": args.organization}},
    )


if __name__ == "__main__":
    main()
