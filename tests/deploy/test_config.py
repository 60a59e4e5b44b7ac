"""The untested layouts stay in step with the tested one: the Compose file gives
nginx every setting the shared template needs, as the one-machine script does."""

import re

import yaml

from tests.servers import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"


def template_settings() -> set[str]:
    return set(re.findall(r"\$\{(\w+)\}", (DEPLOY / "nginx.conf.template").read_text()))


def test_the_one_machine_script_renders_every_setting_of_the_template():
    script = (DEPLOY / "run-production.sh").read_text()
    (listed,) = re.findall(r"envsubst '([^']+)'", script)
    assert set(re.findall(r"\$\{(\w+)\}", listed)) == template_settings()


def test_compose_gives_nginx_every_setting_of_the_template():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    nginx = compose["services"]["nginx"]
    assert set(nginx["environment"]) >= template_settings()
    assert "./nginx.conf.template:/etc/nginx/templates/nginx.conf.template:ro" in nginx["volumes"]
