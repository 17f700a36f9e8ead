//! Text helpers shared by validation, search and sorting: accent folding and safe URLs.

/// Lower-cases and strips diacritics, so that « Économie » matches « economie ».
///
/// A hand-written table for Latin scripts (what French place names and texts use) instead of the
/// `unicode-normalization` crate: it keeps the wasm bundle smaller, and characters outside the table are only
/// lower-cased, which is the right fallback for search.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`] appending to an existing buffer (used to build the search index without reallocations).
pub fn fold_into(s: &str, out: &mut String) {
    let mut rest = s;
    while !rest.is_empty() {
        // A run of ASCII (most of any French text) at once, then one other character.
        let mut ascii = 0;
        while rest.as_bytes().get(ascii).is_some_and(u8::is_ascii) {
            ascii += 1;
        }
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        let mut chars = rest[ascii..].chars();
        if let Some(c) = chars.next() {
            match fold_char(c) {
                Some(rep) => out.push_str(rep),
                // Outside the table, only Greek and Cyrillic capitals are lowered (by offset): `char::to_lowercase`
                // would add its Unicode tables to the wasm bundle (docs/SIZE.md) for scripts French datasets rarely use.
                None => out.push(match c {
                    '\u{391}'..='\u{3A9}' | '\u{410}'..='\u{42F}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
                    _ => c,
                }),
            }
        }
        rest = chars.as_str();
    }
}

fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'ā' | 'Ā' | 'ă' | 'Ă' | 'ą' | 'Ą' => {
            "a"
        }
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' | 'ć' | 'Ć' | 'č' | 'Č' | 'ĉ' | 'ċ' => "c",
        'ď' | 'Ď' | 'đ' | 'Đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' | 'ē' | 'Ē' | 'ė' | 'Ė' | 'ę' | 'Ę' | 'ě' | 'Ě' => {
            "e"
        }
        'ğ' | 'Ğ' | 'ģ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'ī' | 'Ī' | 'į' | 'ı' | 'İ' => "i",
        'ł' | 'Ł' | 'ľ' | 'Ľ' | 'ĺ' | 'Ĺ' => "l",
        'ñ' | 'Ñ' | 'ń' | 'Ń' | 'ň' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'ō' | 'Ō' | 'ő' | 'Ő' => {
            "o"
        }
        'œ' | 'Œ' => "oe",
        'ř' | 'Ř' | 'ŕ' => "r",
        'ś' | 'Ś' | 'š' | 'Š' | 'ş' | 'Ş' | 'ș' | 'Ș' => "s",
        'ß' => "ss",
        'ť' | 'Ť' | 'ţ' | 'ț' | 'Ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'ū' | 'Ū' | 'ů' | 'Ů' | 'ű' | 'Ű' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ź' | 'Ź' | 'ż' | 'Ż' | 'ž' | 'Ž' => "z",
        // Typographic apostrophes and dashes fold to their ASCII forms so « l’île » matches « l'ile ».
        '\u{2019}' | '\u{2018}' | '\u{02BC}' => "'",
        '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}' => "-",
        '\u{00A0}' | '\u{202F}' => " ",
        _ => return None,
    })
}

/// Folds a label or a header as people type it, for matching: [`fold`], then every run of characters other than
/// letters and digits (spaces, punctuation, apostrophes, dashes, brackets) becomes one space, trimmed at both ends:
/// « Thème(s) » → `theme s`, « CODE_POSTAL » → `code postal`, « Rôle de l’acteur public » → `role de l acteur public`.
/// Used to find a vocabulary value by its label ([`crate::model::Vocabulary::find`]), a commune by its name
/// (`territory::CommuneIndex`) and a column by its header (the `essaimage` tool).
pub fn fold_key(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        // Letters and digits are ASCII once folded, but for the letters folding keeps (ø, ß, Greek…); typographic
        // punctuation separates words. (`char::is_alphanumeric` would link Unicode's tables into the wasm.)
        // Symbols and punctuation blocks: Latin-1's (« » ° ² · no-break space), × ÷, general punctuation (’ “ – …),
        // currency, letterlike symbols, arrows, mathematical and other symbols, CJK and fullwidth punctuation.
        let separator = matches!(c, '\u{80}'..='\u{BF}' | '\u{D7}' | '\u{F7}' | '\u{2000}'..='\u{2BFF}'
            | '\u{3000}'..='\u{303F}' | '\u{FE10}'..='\u{FE6F}' | '\u{FF00}'..='\u{FF20}');
        if c.is_ascii_alphanumeric() || (!c.is_ascii() && !separator) {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// [`fold_key`] without the spaces, the final `s` or `x` of each word and the `(s)` and `(e)` marks, for lenient
/// matching:
/// « Thèmes », « Thème(s) » and « thème » all give `theme`; « Rôles des acteurs publics » gives `roledeacteurpublic`.
pub fn fold_compact(s: &str) -> String {
    let key = fold_key(s);
    let mut out = String::with_capacity(key.len());
    for (i, word) in key.split(' ').enumerate() {
        // The marks of a plural or a feminine in brackets: « Thème(s) », « Élu(e)s ».
        if i > 0 && matches!(word, "s" | "x" | "e" | "es") {
            continue;
        }
        let w = if word.len() > 3 { word.strip_suffix(['s', 'x']).unwrap_or(word) } else { word };
        out.push_str(w.strip_suffix('s').filter(|_| w == "des" || w == "les").unwrap_or(w));
    }
    out
}

/// True when a text shows nothing: only whitespace and invisible characters (zero-width spaces and joiners, bidi
/// controls, soft hyphen, byte-order mark, Hangul fillers). Such a name would be an empty link.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_whitespace()
            || matches!(c, '\u{AD}' | '\u{115F}' | '\u{1160}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}')
    })
}

/// The next word of a folded text (see [`fold`]) at or after byte `from`, as a byte range: a maximal run of ASCII
/// letters and digits and of non-ASCII characters. ASCII spaces and punctuation separate words, and folding has
/// turned the usual others (typographic apostrophes and dashes, no-break spaces) into ASCII: « l’Île-de-France »
/// has the words l, ile, de, france. Other non-ASCII characters stay in their word (« «oui» » is one word): a
/// query word is found inside a word, so « oui » still finds it, as the search found text before it had words.
/// The search indexes these words and cuts the query the same way ([`query_words`]).
pub fn next_word(folded: &str, from: usize) -> Option<(usize, usize)> {
    // Byte by byte: the bytes of a non-ASCII character are all non-ASCII, so a word never cuts a character.
    let b = folded.as_bytes();
    let mut start = from;
    while start < b.len() && b[start].is_ascii() && !b[start].is_ascii_alphanumeric() {
        start += 1;
    }
    let mut end = start;
    while end < b.len() && (!b[end].is_ascii() || b[end].is_ascii_alphanumeric()) {
        end += 1;
    }
    (start < end).then_some((start, end))
}

/// Splits a search query into folded words, cut as the indexed text is ([`next_word`]): « L’Île-d’Yeu » gives l,
/// ile, d, yeu. A query of spaces or punctuation only has no words.
pub fn query_words(query: &str) -> Vec<String> {
    let query = fold(query);
    let mut words = Vec::new();
    let mut at = 0;
    while let Some((s, e)) = next_word(&query, at) {
        words.push(query[s..e].to_owned());
        at = e;
    }
    words
}

/// Returns the URL if it is an absolute `http:` or `https:` URL with a host, else `None`.
///
/// This is the only gate through which dataset URLs reach an `href`. It rejects `javascript:`, `data:`,
/// relative and protocol-relative URLs, and any URL containing control characters or whitespace (browsers strip
/// those before parsing the scheme, which is how `java\tscript:` tricks work).
pub fn safe_http_url(raw: &str) -> Option<String> {
    let url = raw.trim();
    if url.is_empty() || url.len() > 2048 {
        return None;
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') {
        return None;
    }
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return None;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..host_end];
    let host = authority.rsplit('@').next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return None;
    }
    Some(url.to_owned())
}

/// Cuts `s` to at most `max` characters (not bytes). Returns whether it was cut.
pub fn truncate_chars(s: &mut String, max: usize) -> bool {
    if s.len() <= max {
        return false;
    }
    match s.char_indices().nth(max) {
        Some((byte, _)) => {
            s.truncate(byte);
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_case_and_accents() {
        assert_eq!(fold("Économie Sociale À Île-de-France"), "economie sociale a ile-de-france");
        assert_eq!(fold("Cœur d’Œuvre"), "coeur d'oeuvre");
        assert_eq!(fold("ÇA"), "ca");
    }

    #[test]
    fn keys_fold_case_accents_and_punctuation() {
        assert_eq!(fold_key("Thème(s)"), "theme s");
        assert_eq!(fold_key("  CODE_POSTAL "), "code postal");
        assert_eq!(fold_key("Rôle de l’acteur public"), "role de l acteur public");
        assert_eq!(fold_key("Emploi-insertion"), fold_key("emploi insertion"));
        assert_eq!(
            fold_key("Projet N°1 — « coworking »"),
            "projet n 1 coworking",
            "symbols and typographic punctuation separate words"
        );
        assert_eq!(fold_key("Москва-Сити"), "москва сити", "letters folding keeps stay in words");
        assert_eq!(fold_key("« Œuvre » — 2024 !"), "oeuvre 2024");
        assert_eq!(fold_key(" ; / "), "");
        assert_eq!(fold_compact("Thèmes"), "theme");
        assert_eq!(fold_compact("Thème(s)"), "theme");
        assert_eq!(fold_compact("Rôles des acteurs publics"), "roledeacteurpublic");
        assert_eq!(fold_compact("Rôle de l'acteur public"), "roledelacteurpublic");
        assert_eq!(fold_compact("Prix"), "pri");
        assert_eq!(fold_compact("Code postal"), "codepostal");
    }

    #[test]
    fn words_are_runs_of_letters_digits_and_non_ascii_characters() {
        let words = |text: &str| query_words(text).join("|");
        assert_eq!(words("Économie SOCIALE"), "economie|sociale", "folded: lower case, no accents");
        assert_eq!(words("L’Île-d’Yeu, l'été"), "l|ile|d|yeu|l|ete", "apostrophes (’ and ') and hyphens cut words");
        assert_eq!(words("Paris – Lyon—Marseille"), "paris|lyon|marseille", "dashes fold to a hyphen");
        assert_eq!(words("Zéro chômeur 2024 : 12,5 %"), "zero|chomeur|2024|12|5", "digits are words");
        assert_eq!(words("Cœur\u{A0}des\u{202F}Écoles\tà\nNantes"), "coeur|des|ecoles|a|nantes", "all kinds of spaces");
        assert_eq!(words("« oui » «non» café😀 Αθήνα"), "«|oui|»|«non»|cafe😀|αθήνα", "other non-ASCII stays in words");
        assert_eq!(words("(x)[y]{z}/w_v"), "x|y|z|w|v", "ASCII punctuation and symbols cut words");
        assert_eq!(words(" - ' … "), "…", "an ellipsis is not ASCII: a word");
        assert!(query_words(" - ' ; ").is_empty(), "punctuation only: no words");
        assert!(query_words("").is_empty());
        // Byte ranges, from any position between words.
        let t = "ete a l'ecole";
        assert_eq!(next_word(t, 0), Some((0, 3)));
        assert_eq!(next_word(t, 3), Some((4, 5)));
        assert_eq!(next_word(t, 6), Some((6, 7)));
        assert_eq!(next_word(t, 7), Some((8, 13)));
        assert_eq!(next_word(t, 13), None);
        assert_eq!(next_word("", 0), None);
        assert_eq!(next_word("éa", 0), Some((0, 3)), "a word ends at a character's end");
    }

    #[test]
    fn only_absolute_http_urls_are_safe() {
        assert_eq!(safe_http_url("https://tezea.fr").as_deref(), Some("https://tezea.fr"));
        assert_eq!(safe_http_url(" HTTP://Example.org/a?b#c ").as_deref(), Some("HTTP://Example.org/a?b#c"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "//evil.example/",
            "/relative",
            "https://",
            "http:///path",
            "https:\\\\evil.example",
            "https://exa mple.org",
            "ftp://example.org",
            "",
        ] {
            assert_eq!(safe_http_url(bad), None, "{bad:?} must be rejected");
        }
    }

    #[test]
    fn truncate_counts_characters() {
        let mut s = "éééé".to_owned();
        assert!(truncate_chars(&mut s, 2));
        assert_eq!(s, "éé");
        assert!(!truncate_chars(&mut s, 2));
    }
}
