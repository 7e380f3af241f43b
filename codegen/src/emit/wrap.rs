//! Text for a terminal: help paragraphs wrapped to a width, and the one-line
//! summary `-h` shows. clap's own wrapping (and its terminal-size dependency)
//! stays off, so the CLI's help arrives wrapped from here.

/// Wraps `text` (lines, paragraphs, `- ` and `1. ` list items) to `width` columns.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = Vec::new();
    for line in text.trim().lines() {
        let line = line.trim_end();
        let body = line.trim_start();
        let lead = line.len() - body.len();
        let marker = body.split_once(' ').map(|(m, _)| m).filter(|m| {
            *m == "-"
                || *m == "*"
                || (m.ends_with('.') && m[..m.len() - 1].chars().all(|c| c.is_ascii_digit()) && m.len() > 1)
        });
        let hang = lead + marker.map_or(0, |m| m.len() + 1);
        let mut current = " ".repeat(lead);
        let mut columns = lead;
        let mut empty = true;
        for word in body.split_whitespace() {
            let len = word.chars().count();
            if !empty && columns + 1 + len > width {
                out.push(std::mem::replace(&mut current, " ".repeat(hang)));
                columns = hang;
                empty = true;
            }
            if !empty {
                current.push(' ');
                columns += 1;
            }
            current.push_str(word);
            columns += len;
            empty = false;
        }
        out.push(if empty { String::new() } else { current });
    }
    out.join("\n")
}

/// Paragraphs, each wrapped, blank lines between.
pub fn paragraphs(parts: &[String], width: usize) -> String {
    parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).map(|p| wrap(p, width)).collect::<Vec<_>>().join("\n\n")
}

/// The first sentence of the first paragraph: the one-line summary `-h` shows.
pub fn summary(docs: &[String]) -> String {
    let first = docs.iter().map(|d| d.trim()).find(|d| !d.is_empty()).unwrap_or_default();
    let line = first.lines().next().unwrap_or_default().trim();
    match line.find(". ") {
        Some(i) => line[..=i].to_owned(),
        None => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_hangs_list_items_and_counts_characters() {
        assert_eq!(wrap("- aaa bbb ccc", 9), "- aaa bbb\n  ccc");
        assert_eq!(wrap("12. aaa bbb", 9), "12. aaa\n    bbb");
        assert_eq!(wrap("ééé ééé", 7), "ééé ééé", "7 characters, 14 bytes");
        assert_eq!(wrap("one\n\n  two three", 6), "one\n\n  two\n  three");
        assert_eq!(wrap("averyveryverylongword x", 5), "averyveryverylongword\nx", "a long word stays whole");
    }

    #[test]
    fn summary_is_the_first_sentence_of_the_first_paragraph() {
        assert_eq!(summary(&["".into(), "Does it. Then more.\nSecond line.".into()]), "Does it.");
        assert_eq!(summary(&["Version 1.2 of it".into()]), "Version 1.2 of it");
        assert_eq!(summary(&[]), "");
    }
}
