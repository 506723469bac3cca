"""payaudit: audit the pay and working time of platform workers against the law."""

import os

# Polars' allocator (jemalloc) keeps freed memory for 10 s by default, so an audit in parts
# (partition.py) would hold every part's memory at once; a background thread returning it
# after 1 s keeps the peak to one part's (pola-rs/polars#23128). It takes effect only when
# payaudit is imported before Polars, as the command does; a value already set is kept.
os.environ.setdefault(
    "_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0"
)

__version__ = "0.1.0"
