"""The bot starts the way the README says, and never reports usage to anyone."""

from tests.servers import process_environ


def test_every_rasa_process_runs_with_telemetry_disabled(bot):
    rasa_pids = bot.pids_running("rasa run")
    assert len(rasa_pids) >= 2, "expected the Rasa server and the action server"
    for pid in rasa_pids:
        assert process_environ(pid).get("RASA_TELEMETRY_ENABLED") == "false"


def test_servers_listen_on_loopback_only(bot):
    listening = _listening_addresses()
    for url in (bot.rasa_url, bot.action_url):
        port = int(url.rsplit(":", 1)[1])
        assert listening.get(port) == {"127.0.0.1"}, f"port {port}: {listening.get(port)}"


def _listening_addresses() -> dict[int, set[str]]:
    """port -> IPv4 addresses listening on it, from /proc/net/tcp."""
    found: dict[int, set[str]] = {}
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            local, state = line.split()[1], line.split()[3]
            if state != "0A":  # LISTEN
                continue
            address_hex, port_hex = local.split(":")
            address = ".".join(str(int(address_hex[i : i + 2], 16)) for i in (6, 4, 2, 0))
            found.setdefault(int(port_hex, 16), set()).add(address)
    return found
