"""flask plan …: the kvalitetsplan from the command line (export, import; later rollover)."""

import click


@click.group(help="Kvalitetsplanen: export, import.")
def plan() -> None:
    pass
