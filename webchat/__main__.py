"""`python -m webchat`: serve the page on WEBCHAT_HOST:WEBCHAT_PORT (the Procfile's `web`)."""

from webchat.server import Settings, create_app


def main() -> None:
    settings = Settings.from_env()
    create_app(settings).run(host=settings.host, port=settings.port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
