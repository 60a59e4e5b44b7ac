"""`python -m staff_console`: serve the console on STAFF_CONSOLE_HOST:STAFF_CONSOLE_PORT.

`python -m staff_console create-user USERNAME` adds a login; the password is read
from standard input when it is piped in, otherwise asked for twice without echo.
`python -m staff_console export-conversation ID` prints everything stored about a
conversation as JSON; `delete-conversation ID` deletes it all. `purge-expired`
deletes every conversation idle for longer than RETENTION_DAYS (see retention.py).
"""

import argparse
import getpass
import json
import logging
import sys

from clinic_store.database import migrate
from clinic_store.handoffs import HandoffStore
from clinic_store.settings import Settings, get_settings
from clinic_store.staff_users import StaffUserExists, StaffUsers
from staff_console.retention import purge_expired


def read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if password and getpass.getpass("Password again: ") != password:
        raise SystemExit("The two passwords differ; nothing was changed.")
    return password


def create_user(settings: Settings, username: str) -> int:
    password = read_password()
    if not password:
        print("Refusing an empty password; nothing was changed.", file=sys.stderr)
        return 1
    migrate(settings.database_url)
    try:
        StaffUsers(settings.database_url).create(username, password)
    except StaffUserExists:
        print(f"There is already a staff user called {username!r}.", file=sys.stderr)
        return 1
    except ValueError as problem:
        print(f"Not created: {problem}.", file=sys.stderr)
        return 1
    print(f"Created staff user {username!r}.")
    return 0


PRIVACY_COMMANDS = {
    "export-conversation": "print everything stored about a conversation (JSON)",
    "delete-conversation": "delete everything stored about a conversation",
}


def privacy(settings: Settings, command: str, conversation_id: str) -> int:
    from staff_console.privacy import delete_conversation, export_conversation

    store = HandoffStore(settings.database_url)
    action = export_conversation if command == "export-conversation" else delete_conversation
    print(json.dumps(action(settings, store, conversation_id), indent=2))
    return 0


def purge(settings: Settings) -> int:
    if not settings.retention_days:
        print("RETENTION_DAYS is 0: conversations are kept forever; nothing was deleted.")
        return 0
    migrate(settings.database_url)
    purged = purge_expired(settings, HandoffStore(settings.database_url))
    print(f"Deleted {len(purged)} conversations idle for more than {settings.retention_days} days.")
    return 0


def serve(settings: Settings) -> int:
    from staff_console.app import create_app  # Sanic only when serving

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = create_app(settings)
    app.run(
        host=settings.staff_console_host,
        port=settings.staff_console_port,
        access_log=False,
        motd=False,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m staff_console", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    create = commands.add_parser("create-user", help="add a staff login")
    create.add_argument("username")
    for name, help_text in PRIVACY_COMMANDS.items():
        commands.add_parser(name, help=help_text).add_argument("conversation_id")
    commands.add_parser(
        "purge-expired", help="delete conversations idle for longer than RETENTION_DAYS"
    )
    args = parser.parse_args(argv)
    settings = get_settings()
    if args.command == "create-user":
        return create_user(settings, args.username)
    if args.command in PRIVACY_COMMANDS:
        return privacy(settings, args.command, args.conversation_id)
    if args.command == "purge-expired":
        return purge(settings)
    return serve(settings)


if __name__ == "__main__":
    sys.exit(main())
