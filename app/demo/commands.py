import click


@click.command("demo")
def demo() -> None:
    """Placeholder until the demo loader lands."""
