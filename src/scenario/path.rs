//! The field-path notation shared by diagnostics and form fields: keys joined
//! by `.`, an entry of an array of tables as `[i]`, and keys that are not bare
//! TOML keys quoted (`population.segment[0].home."UTC+1"`). One writer
//! ([`join`]) and one reader ([`steps`]), so a diagnostic's path is its form
//! field's path and `edit::set_field` finds the key it names.

/// Appends a key to a field path, quoting keys that are not bare TOML keys
/// (escaped as Rust's `{:?}` writes them).
pub fn join(path: &str, key: &str) -> String {
    let key = if is_bare(key) { key.to_owned() } else { format!("{key:?}") };
    if path.is_empty() { key } else { format!("{path}.{key}") }
}

/// The steps of a path written by [`join`] (plus `[i]` indices): each key unquoted, with its
/// index if it has one. `None` for a path [`join`] cannot have written.
pub fn steps(path: &str) -> Option<Vec<(String, Option<usize>)>> {
    let mut steps = Vec::new();
    let mut rest = path;
    loop {
        let (key, after) = match rest.strip_prefix('"') {
            Some(quoted) => unquote(quoted)?,
            None => {
                let end = rest.find(['.', '[']).unwrap_or(rest.len());
                let key = &rest[..end];
                if !is_bare(key) {
                    return None;
                }
                (key.to_owned(), &rest[end..])
            }
        };
        let (index, after) = match after.strip_prefix('[') {
            Some(indexed) => {
                let (digits, after) = indexed.split_once(']')?;
                (Some(digits.parse().ok()?), after)
            }
            None => (None, after),
        };
        steps.push((key, index));
        match after.strip_prefix('.') {
            Some(next) => rest = next,
            None if after.is_empty() => return Some(steps),
            None => return None,
        }
    }
}

/// A bare TOML key: ASCII letters, digits, `_` and `-`, at least one.
fn is_bare(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A quoted key (after its opening quote) and the text after its closing quote.
fn unquote(quoted: &str) -> Option<(String, &str)> {
    let mut key = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((key, &quoted[i + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => key.push('\n'),
                't' => key.push('\t'),
                'r' => key.push('\r'),
                '0' => key.push('\0'),
                'u' => {
                    let (_, '{') = chars.next()? else { return None };
                    let hex: String = chars.by_ref().map(|(_, c)| c).take_while(|&c| c != '}').collect();
                    key.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => key.push(other),
            },
            c => key.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_are_not_bare_are_quoted() {
        assert_eq!(join("", "simulation"), "simulation");
        assert_eq!(join("a.home", "UTC+1"), "a.home.\"UTC+1\"");
    }

    #[test]
    fn every_joined_path_reads_back_to_its_keys() {
        let keys = ["population", "UTC+1", "a.b", "say \"hi\"", "tab\there", "", "é", "x-y_1", "\u{200b}"];
        for first in keys {
            for second in keys {
                let path = join(&join("", first), second);
                let read: Vec<String> = steps(&path).expect(&path).into_iter().map(|(k, _)| k).collect();
                assert_eq!(read, [first, second], "{path}");
            }
        }
        let indexed = steps("population.segment[2].home.\"UTC+1\"").expect("valid");
        let expect = [("population", None), ("segment", Some(2)), ("home", None), ("UTC+1", None)];
        assert_eq!(indexed, expect.map(|(k, i)| (k.to_owned(), i)));
        for bad in ["a..b", "a.\"open", "a[x]", "a[1", "a\"b\"", ".a", "a."] {
            assert_eq!(steps(bad), None, "{bad}");
        }
    }
}
