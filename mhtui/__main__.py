import sys

from mhtui.cli import main

sys.exit(main())
