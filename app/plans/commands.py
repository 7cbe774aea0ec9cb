"""flask plan …: the kvalitetsplan from the command line (export, import; later rollover)."""

import click


@click.group(help="Kvalitetsplanen: export, import och överföring till nästa år.")
def plan() -> None:
    pass
