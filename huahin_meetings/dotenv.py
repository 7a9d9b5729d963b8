"""Print a ``.env`` for local development with a fresh random secret key."""

import secrets


def development_env() -> str:
    return "\n".join(
        [
            "# Local development settings, written by `make run`. Not for production.",
            "DEBUG=true",
            f"SECRET_KEY={secrets.token_urlsafe(50)}",
            "",
        ]
    )


if __name__ == "__main__":
    print(development_env(), end="")
