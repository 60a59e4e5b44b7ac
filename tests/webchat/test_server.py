"""Where the page finds Rasa, and what the page may load (see webchat/server.py)."""

import re

from webchat.server import Settings, render_page


def test_defaults_point_the_page_at_the_local_rasa():
    settings = Settings.from_env({"RASA_PORT": "5105"})
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.socket_url == "http://127.0.0.1:5105"
    assert settings.socket_path == "/socket.io/"


def test_a_public_url_behind_a_proxy_keeps_its_path_out_of_the_socket_url():
    settings = Settings.from_env({"RASA_PUBLIC_URL": "https://clinic.example/chat/"})
    # socket.io-client would take a path in the URL for a namespace.
    assert settings.socket_url == "https://clinic.example"
    assert settings.socket_path == "/chat/socket.io/"
    assert "connect-src https://clinic.example;" in settings.content_security_policy


def test_the_page_loads_nothing_from_elsewhere():
    settings = Settings.from_env({"RASA_PUBLIC_URL": "https://clinic.example"})
    page = render_page(settings)
    assert 'data-socket-url="https://clinic.example"' in page
    for url in re.findall(r'(?:src|href)="([^"]*)"', page):
        assert url.startswith(("/", "data:")), url
