import argparse
import os

from .client import SnapClient, generate_key, load_key
from .server import Bank, serve


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m simulators.bank", description="Bank (SNAP BI VA and QRIS) simulator"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8030)
    parser.add_argument("--portal", default="http://127.0.0.1:8000", help="the biller's base URL")
    parser.add_argument(
        "--key", required=True, help="the bank's RSA private key (PEM); made if missing"
    )
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--partner-id", required=True)
    parser.add_argument("--settlement-dir", required=True)
    parser.add_argument("--make-key-only", action="store_true", help="write the key pair and exit")
    args = parser.parse_args()
    key = load_key(args.key) if os.path.exists(args.key) else generate_key(args.key)
    if args.make_key_only:
        return
    client = SnapClient(
        base_url=args.portal,
        key=key,
        client_id=args.client_id,
        client_secret=args.client_secret,
        partner_id=args.partner_id,
    )
    serve(host=args.host, port=args.port, bank=Bank(client, args.settlement_dir))


if __name__ == "__main__":
    main()
