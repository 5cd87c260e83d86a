//! Placeholder until the text engine lands.
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AutoConvert {
    #[default]
    Off,
    On,
    Full,
}
impl AutoConvert {
    pub fn as_str(self) -> &'static str {
        match self {
            AutoConvert::Off => "off",
            AutoConvert::On => "on",
            AutoConvert::Full => "full",
        }
    }
}
impl std::str::FromStr for AutoConvert {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "off" | "false" => Ok(AutoConvert::Off),
            "on" | "true" => Ok(AutoConvert::On),
            "full" => Ok(AutoConvert::Full),
            _ => Err(format!("invalid auto-replace mode '{s}': expected off, on or full")),
        }
    }
}
impl std::fmt::Display for AutoConvert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
pub type ReplaceTable = BTreeMap<char, String>;
pub fn validate_replacement(from: &str, to: &str) -> Result<(char, String), String> {
    let mut chars = from.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return Err(format!("FROM must be exactly one character, got '{from}'"));
    };
    if to.chars().count() > 4 || !to.is_ascii() {
        return Err(format!("TO must be 0-4 GSM-7 characters, got '{to}'"));
    }
    Ok((c, to.to_owned()))
}
