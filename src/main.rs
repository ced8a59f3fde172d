//! The `journeylab` command line.

fn main() {}
