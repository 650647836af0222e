"""The site's own settings plus two reference endpoints the benchmark compares pages against."""

from mindlab.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
