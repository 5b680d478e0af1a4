"""`python -m dashboard`: the command line (see dashboard.cli)."""

from dashboard.cli import main

if __name__ == "__main__":
    main()
