//! Programme visions are Markdown typed by people and shown to everyone:
//! whatever is typed, the HTML holds only the elements and attributes
//! Markdown itself makes, and links only to web, mail or same-site
//! addresses (the rule `markdown::to_html` promises). Text may say
//! "javascript:" or "<script>": it is escaped, and harmless.
#![no_main]

use libfuzzer_sys::fuzz_target;

const ELEMENTS: [&str; 24] = [
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "strong",
    "em",
    "del",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
];
const ATTRIBUTES: [&str; 5] = ["href", "title", "start", "style", "class"];

/// The attributes of a tag as push_html writes them: name="value".
fn attributes(inside: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = inside
        .split_once(char::is_whitespace)
        .map_or("", |(_, r)| r);
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || rest == "/" {
            return out;
        }
        let end = rest.find(['=', ' ']).unwrap_or(rest.len());
        let name = rest[..end].to_owned();
        rest = &rest[end..];
        let value = match rest.strip_prefix("=\"") {
            Some(quoted) => {
                let close = quoted.find('"').unwrap_or(quoted.len());
                let value = quoted[..close].to_owned();
                rest = quoted.get(close + 1..).unwrap_or("");
                value
            }
            None => String::new(),
        };
        out.push((name, value));
    }
}

fn safe_link(href: &str) -> bool {
    let lower = href.trim().to_ascii_lowercase();
    lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('#')
}

fuzz_target!(|text: &str| {
    let html = koers::markdown::to_html(text);
    for tag in html.split('<').skip(1) {
        let inside = tag.split('>').next().unwrap_or("");
        let name = inside
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_start_matches('/')
            .trim_end_matches('/')
            .to_ascii_lowercase();
        assert!(
            ELEMENTS.contains(&name.as_str()),
            "element <{inside}> in {html}"
        );
        for (key, value) in attributes(inside) {
            let key = key.to_ascii_lowercase();
            assert!(
                ATTRIBUTES.contains(&key.as_str()),
                "attribute {key} in <{inside}>"
            );
            if key == "href" {
                assert!(safe_link(&value), "link {value} in <{inside}>");
            }
            if key == "style" {
                assert!(
                    value.starts_with("text-align:"),
                    "style {value} in <{inside}>"
                );
            }
        }
    }
});
