//! Nothing: this package exists for its dependencies' build cost (see Cargo.toml).

fn main() {}
