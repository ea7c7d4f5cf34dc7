"""The subcommands of ``composer``: one module each, listed in :mod:`composer.cli`.

Each module has ``register(subparsers)``, which adds its parser(s) and sets
``handler`` to a function ``(args, context) -> int`` (the exit status).
"""
