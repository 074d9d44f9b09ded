"""The rules of discussions, one module per concern."""
