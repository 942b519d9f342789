"""Which services `docker-compose up` would start, by docker-compose 1.29.2's own code, without a
Docker engine. Run with the compose venv's Python (test_compose.py does), from the directory of
docker-compose.yml:

    .venv-compose/bin/python clients/python/tests/compose_selection.py [PROFILE ...]

prints {"profiles": [...], "services": [...]}: the active profiles as `--profile PROFILE ...`
would make them (the flags if any, else COMPOSE_PROFILES from the environment or .env), and the
services `up` starts with them, in start order. A service whose depends_on names a service no
active profile enables is an error, as it is for `up`.

Not a test module: it imports `compose`, which only the compose venv has.
"""

import json
import sys

from compose.cli.command import get_profiles_from_options
from compose.config import config
from compose.config.environment import Environment
from compose.project import Project
from docker.errors import NotFound


class NoEngine:
    """The only questions Project.from_config asks the engine (does a network or volume exist
    under an older compose naming?), answered no."""

    def inspect_network(self, name):
        raise NotFound(f"no engine: network {name}")

    def inspect_volume(self, name):
        raise NotFound(f"no engine: volume {name}")


def main() -> None:
    environment = Environment.from_env_file(".")
    details = config.find(".", ["docker-compose.yml"], environment)
    profiles = get_profiles_from_options({"--profile": sys.argv[1:]}, environment)
    project = Project.from_config("krakenbridge", config.load(details), client=NoEngine(), enabled_profiles=profiles)
    services = [service.name for service in project.get_services(include_deps=True)]
    print(json.dumps({"profiles": profiles, "services": services}))


if __name__ == "__main__":
    main()
