"""The demo's command line (the README's run command uses both):

    python -m demo seed --server URL      make sure the demo data exists; the codes go to stdout
    python -m demo respond --server URL   the demo hosts answer requests until stopped

Progress and errors are logged to stderr; only what a person needs (the codes) goes to stdout.
The server's database is the one the server uses (DATABASE_URL, else the default SQLite file).
"""

from __future__ import annotations

import argparse
import logging
import sys

from demo.common import demo_dir
from demo.employer import seed_employer
from demo.family import PHONE_FOLDER, seed
from demo.hosts import seed_hosts, tokens_path
from demo.responder import POLL_SECONDS, respond
from server.invites import format_code
from server.settings import Settings

log = logging.getLogger("ny-i-nordland.demo")


def _seed(server: str, database_url: str) -> int:
    """Seed the family, the hosts and the employer; write their codes (or why not) to stdout."""
    failed = 0
    lines = []
    try:
        family = seed(server, demo_dir(database_url) / PHONE_FOLDER)
        lines.append(
            f"Demo family code:      {family}  (first screen: I have an invitation code from my family)"
        )
    except Exception:  # reported; the hosts are still tried
        log.exception("The demo family could not be made")
        lines.append("Demo family code:      (the demo family could not be made; see the log)")
        failed = 1
    try:
        code = seed_hosts(server, database_url)
        log.info("Demo hosts in Bodø, Rana, Narvik and Vefsn are certified and ready")
        if code:
            lines.append(f"Demo coordinator code: {format_code(code)}  (Hosts → Be a host → Enrolment code)")
        else:
            lines.append("Demo coordinator code: (already enrolled in a browser; no new code)")
    except Exception:
        log.exception("The demo hosts could not be made")
        lines.append("Demo coordinator code: (the demo hosts could not be made; see the log)")
        failed = 1
    try:
        code = seed_employer(server, database_url)
        lines.append(
            f"Demo employer code:    {code}  "
            "(first screen: I prepare new employees' moves → Join your organisation)"
        )
    except Exception:
        log.exception("The demo employer could not be made")
        lines.append("Demo employer code:    (the demo employer could not be made; see the log)")
        failed = 1
    sys.stdout.write("\n".join(lines) + "\n")
    return failed


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run `seed` or `respond`; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("seed", "respond"))
    parser.add_argument("--server", default="http://127.0.0.1:8551")
    parser.add_argument("--interval", type=float, default=POLL_SECONDS, help="respond: seconds between looks")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not one line per request
    database_url = Settings().database_url
    if args.command == "seed":
        return _seed(args.server, database_url)
    try:
        respond(args.server, tokens_path(database_url), args.interval)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
