"""Letter Composer: write advocacy letters that officials read."""

__version__ = "0.1.0"
