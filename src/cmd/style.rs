//! Colour for people at a terminal, none for pipes, files and `NO_COLOR`.

use crate::cli::ColorChoice;
use crate::findings::Severity;

/// Whether to colour: `always` and `never` say so; `auto` colours only a terminal, and only
/// when `NO_COLOR` is unset or empty (no-color.org).
pub fn use_color(
    choice: ColorChoice,
    is_terminal: bool,
    no_color: Option<&std::ffi::OsStr>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && no_color.is_none_or(|v| v.is_empty()),
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub on: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// A finding code or a count, in its severity's colour: errors red, warnings yellow.
    pub fn severity(self, severity: Severity, text: &str) -> String {
        match severity {
            Severity::Error => self.paint("1;31", text),
            Severity::Warning => self.paint("33", text),
            Severity::Info => self.paint("36", text),
        }
    }

    pub fn dim(self, text: &str) -> String {
        self.paint("2", text)
    }

    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_rules() {
        let no_color = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        // auto: a terminal without NO_COLOR only.
        assert!(use_color(ColorChoice::Auto, true, None));
        assert!(
            use_color(ColorChoice::Auto, true, empty),
            "an empty NO_COLOR does not count"
        );
        assert!(!use_color(ColorChoice::Auto, true, no_color));
        assert!(
            !use_color(ColorChoice::Auto, false, None),
            "a pipe or a file"
        );
        // The flag wins either way.
        assert!(use_color(ColorChoice::Always, false, no_color));
        assert!(!use_color(ColorChoice::Never, true, None));
    }

    #[test]
    fn painting() {
        let on = Style { on: true };
        let off = Style { on: false };
        assert_eq!(
            on.severity(Severity::Error, "E204"),
            "\x1b[1;31mE204\x1b[0m"
        );
        assert_eq!(off.severity(Severity::Error, "E204"), "E204");
    }
}
