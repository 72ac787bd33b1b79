"""Entry point: `python -m bot`."""

from __future__ import annotations

from bot.cli import build_cli


def main() -> None:
    build_cli()()


if __name__ == "__main__":
    main()
