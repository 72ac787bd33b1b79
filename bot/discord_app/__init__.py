"""The Discord adapter (discord.py 2.7): slash commands, buttons, and a digest sink.

Named `discord_app` so it never shadows the `discord` package. Import from the submodules
(`bot.discord_app.client`, `.sink`): the package itself stays light, so the CLI loads
discord.py only when a Discord command runs.
"""
