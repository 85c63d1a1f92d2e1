"""Entry point for frozen builds (PyInstaller): the same CLI as the console script."""
import sys

from station_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
