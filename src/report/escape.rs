//! Text from scanned files on its way to a terminal or a CI log: every character that
//! could act instead of being shown is written as a visible escape (`\u{1b}`).
//!
//! Owns the list of such characters: C0 controls but tab (ESC starts terminal sequences,
//! BEL ends OSC titles, CR rewrites a line), DEL, C1 controls (8-bit CSI), the Unicode bidi
//! controls that reorder what a reviewer reads (CVE-2021-42574, "Trojan Source"), and the
//! Unicode line and paragraph separators. Must not: touch JSON or SARIF, which escape by
//! their own rules and must stay exact.

use std::borrow::Cow;

/// Escape everything that could act, line breaks included: for one-line fields (paths,
/// names, versions, short and github output).
pub fn one_line(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// Like [`one_line`], but `\n` stays a line break: for multi-line human text.
pub fn multi_line(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// Is `c` shown as an escape? (`\n` is decided by the caller.)
pub fn acts(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The visible form of `c`: `\u{1b}`.
pub fn visible(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let hostile = |c: char| acts(c) && !(keep_newlines && c == '\n');
    if !s.chars().any(hostile) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hostile(c) {
            out.push_str(&visible(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_become_visible() {
        assert_eq!(
            one_line("node:14\x1b]0;pwned\x07"),
            "node:14\\u{1b}]0;pwned\\u{7}"
        );
        assert_eq!(one_line("a\nb\rc"), "a\\u{a}b\\u{d}c");
        assert_eq!(multi_line("a\nb\rc"), "a\nb\\u{d}c");
        assert_eq!(one_line("x\u{202e}y\u{2066}"), "x\\u{202e}y\\u{2066}");
        assert_eq!(one_line("\u{9b}31m"), "\\u{9b}31m");
        // tabs and ordinary non-ASCII text stay as they are
        assert!(matches!(one_line("é\tü ✓"), Cow::Borrowed(_)));
    }
}
