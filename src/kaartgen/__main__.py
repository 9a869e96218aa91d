"""`python -m kaartgen`: the same command line as the `kaartgen` script."""

from kaartgen.cli import main

main()
