//! The language of what users read: Vietnamese or English, chosen once by the command line and
//! passed explicitly to everything that writes a sentence.

/// The language of what users read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// Parses `vi`/`en` and locale strings such as `vi_VN.UTF-8` or `en_US`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("vi") {
            Some(Lang::Vi)
        } else if s.starts_with("en") || s == "c" || s == "posix" || s.starts_with("c.") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// `--lang`, else `KEHOACH_LANG`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: only a
    /// locale starting with `vi` or `en` decides), else Vietnamese.
    pub fn resolve(flag: Option<Lang>, env: impl Fn(&str) -> Option<String>) -> Lang {
        if let Some(lang) = flag {
            return lang;
        }
        if let Some(lang) = env("KEHOACH_LANG").as_deref().and_then(Lang::parse) {
            return lang;
        }
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Some(value) = env(var).filter(|v| !v.is_empty()) {
                let value = value.to_ascii_lowercase();
                if value.starts_with("vi") {
                    return Lang::Vi;
                }
                if value.starts_with("en") {
                    return Lang::En;
                }
                // The first set variable decides, as in POSIX; C/POSIX give no preference.
                break;
            }
        }
        Lang::Vi
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_resolution() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::resolve(None, env(&[])), Lang::Vi);
        assert_eq!(
            Lang::resolve(Some(Lang::En), env(&[("KEHOACH_LANG", "vi")])),
            Lang::En
        );
        assert_eq!(
            Lang::resolve(None, env(&[("KEHOACH_LANG", "en"), ("LANG", "vi_VN")])),
            Lang::En
        );
        assert_eq!(
            Lang::resolve(None, env(&[("LANG", "en_US.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            Lang::resolve(None, env(&[("LC_ALL", "vi_VN.UTF-8"), ("LANG", "en_US")])),
            Lang::Vi
        );
        assert_eq!(
            Lang::resolve(None, env(&[("LC_MESSAGES", "en_US"), ("LANG", "vi_VN")])),
            Lang::En
        );
        assert_eq!(
            Lang::resolve(None, env(&[("LANG", "fr_FR.UTF-8")])),
            Lang::Vi
        );
    }
}
