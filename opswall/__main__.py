import sys

from opswall.cli import main

sys.exit(main())
