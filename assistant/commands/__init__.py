"""CLI commands, one module each; see assistant.cli."""
