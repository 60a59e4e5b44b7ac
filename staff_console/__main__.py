"""`python -m staff_console` serves the console; `... create-user NAME` adds a member of staff."""

import argparse
import getpass
import sys

from actions.persistence import HandoffStore, migrate
from actions.settings import get_settings


def create_user(username: str) -> int:
    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass()
    if not password:
        print("Refusing an empty password.", file=sys.stderr)
        return 1
    settings = get_settings()
    migrate(settings.database_url)
    HandoffStore(settings.database_url).create_staff_user(username, password)
    print(f"Created staff user {username!r}.")
    return 0


def serve() -> int:
    from staff_console.app import create_app

    settings = get_settings()
    app = create_app(settings)
    app.run(host=settings.staff_console_host, port=settings.staff_console_port, access_log=False)
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m staff_console")
    commands = parser.add_subparsers(dest="command")
    create = commands.add_parser("create-user", help="add a member of staff (password on stdin)")
    create.add_argument("username")
    args = parser.parse_args(argv)
    return create_user(args.username) if args.command == "create-user" else serve()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
