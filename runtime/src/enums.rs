//! Support for the generated open enums.

use std::fmt;

/// An enum value the model does not list, kept exactly as received so that it
/// survives a round trip. Build one through the enum's `From<&str>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// For generated code: use the enum's `From<&str>` instead, which keeps
    /// known values as their variants.
    #[doc(hidden)]
    pub fn new(value: &str) -> Self {
        Self(value.to_owned())
    }

    /// The value as the wire carries it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
