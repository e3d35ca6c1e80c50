import sys

from querysentry.cli import main

sys.exit(main())
