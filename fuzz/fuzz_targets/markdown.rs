//! Programme visions are Markdown typed by people and shown to everyone:
//! whatever is typed, the HTML holds no element that runs or loads
//! anything, no event-handler attribute, and no link to a script address.
//! (Text may say "javascript:" or "<script>": it is escaped, and harmless.)
#![no_main]

use libfuzzer_sys::fuzz_target;

const FORBIDDEN_ELEMENTS: [&str; 8] = [
    "script", "iframe", "object", "embed", "style", "img", "svg", "form",
];

fuzz_target!(|text: &str| {
    let html = koers::markdown::to_html(text);
    for tag in html.split('<').skip(1) {
        let inside = tag.split('>').next().unwrap_or("").to_ascii_lowercase();
        let name = inside.split_whitespace().next().unwrap_or("");
        assert!(
            !FORBIDDEN_ELEMENTS.contains(&name.trim_start_matches('/')),
            "element <{inside}> in {html}"
        );
        // Attributes as push_html writes them: name="value", value escaped.
        for attribute in inside.split_whitespace().skip(1) {
            let (key, value) = attribute.split_once('=').unwrap_or((attribute, ""));
            assert!(!key.starts_with("on"), "event handler in <{inside}>");
            if key == "href" || key == "src" {
                let value = value.trim_matches('"').trim();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!value.starts_with(scheme), "{scheme} link in <{inside}>");
                }
            }
        }
    }
});
