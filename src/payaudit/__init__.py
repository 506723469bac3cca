"""payaudit: audit the pay and working time of platform workers against the law."""

__version__ = "0.1.0"
