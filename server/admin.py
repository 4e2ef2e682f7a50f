"""Administration on the server's command line (the county's IT runs these).

    python -m server.admin create-coordinator --name "Kari Nordmann"   # prints a one-time code
    python -m server.admin list-coordinators
    python -m server.admin revoke-coordinator <id>
    python -m server.admin run-round                                    # a matching round now
    python -m server.admin seed-events                                  # reference group events
    python -m server.admin allow-neighbours 1833 1832 1834              # Rana's families may meet
                                                                        # hosts of Hemnes and Lurøy

The enrolment code is printed once, for the coordinator to type into the app (Settings →
Coordinator); only its hash is stored and it expires after 72 hours."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime

from server.db import make_engine, migrate
from server.errors import ApiError
from server.settings import Settings
from server.superhost.coordinators import create_coordinator, list_coordinators, revoke_coordinator
from server.superhost.group_events import seed_reference_events
from server.superhost.seekers import run_round, set_neighbours


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server.admin", description=__doc__.split("\n")[0])
    jobs = parser.add_subparsers(dest="job", required=True)
    create = jobs.add_parser(
        "create-coordinator", help="create a coordinator; prints a one-time enrolment code"
    )
    create.add_argument("--name", required=True)
    jobs.add_parser("list-coordinators")
    revoke = jobs.add_parser("revoke-coordinator")
    revoke.add_argument("coordinator_id")
    jobs.add_parser("run-round", help="run a matching round for all waiting families")
    jobs.add_parser("seed-events", help="add the reference theme evenings and language cafés")
    allow = jobs.add_parser("allow-neighbours", help="let a municipality's families meet hosts next door")
    allow.add_argument("municipality", type=int)
    allow.add_argument("neighbours", type=int, nargs="*")
    args = parser.parse_args(argv)

    engine = make_engine(Settings().database_url)
    migrate(engine)
    now = datetime.now(UTC)
    out = sys.stdout
    try:
        with engine.begin() as conn:
            if args.job == "create-coordinator":
                name = args.name.strip()
                if not name:
                    parser.error("the name must not be empty")
                coordinator_id, code = create_coordinator(conn, name[:80], now)
                out.write(f"coordinator {coordinator_id} created.\n")
                out.write(f"One-time enrolment code (valid 72 hours): {code}\n")
            elif args.job == "list-coordinators":
                out.write(json.dumps(list_coordinators(conn), indent=2) + "\n")
            elif args.job == "revoke-coordinator":
                if not revoke_coordinator(conn, args.coordinator_id, now):
                    out.write("no such active coordinator\n")
                    return 1
                out.write("revoked\n")
            elif args.job == "run-round":
                out.write(json.dumps(run_round(conn, now)) + "\n")
            elif args.job == "allow-neighbours":
                set_neighbours(conn, args.municipality, args.neighbours)
                out.write(f"{args.municipality}: neighbours {sorted(set(args.neighbours))}\n")
            elif args.job == "seed-events":
                out.write(f"{seed_reference_events(conn)} events added\n")
    except ApiError as exc:  # bad input: say what, change nothing
        sys.stderr.write(f"{exc.message}\n")
        return 2
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
