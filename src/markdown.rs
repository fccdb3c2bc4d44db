//! Markdown that people write (a programme's vision) rendered as HTML that
//! cannot carry script: raw HTML is shown as text, links keep only web,
//! mail and same-site destinations, images become their description (no
//! outside requests), and headings start below the page's own `h1`.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Safe HTML for `source`.
pub fn to_html(source: &str) -> String {
    let mut dropped_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(
        source,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let safe = is_safe_destination(&dest_url);
            dropped_links.push(!safe);
            safe.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => {
            if dropped_links.pop().unwrap_or(false) {
                None
            } else {
                Some(Event::End(TagEnd::Link))
            }
        }
        Event::Start(Tag::Heading {
            level,
            id: _,
            classes: _,
            attrs: _,
        }) => Some(Event::Start(Tag::Heading {
            level: lower(level),
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(lower(level)))),
        other => Some(other),
    });
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

fn lower(level: HeadingLevel) -> HeadingLevel {
    HeadingLevel::try_from((level as usize + 1).min(6)).unwrap_or(HeadingLevel::H6)
}

fn is_safe_destination(url: &CowStr) -> bool {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
    {
        return true;
    }
    // Same-site paths and fragments; `//host` would leave the site.
    (url.starts_with('/') && !url.starts_with("//")) || url.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn renders_ordinary_markdown() {
        assert_eq!(
            to_html("# Visie\n\nWe **helpen** [inwoners](https://example.nl)."),
            "<h2>Visie</h2>\n<p>We <strong>helpen</strong> <a href=\"https://example.nl\">inwoners</a>.</p>\n"
        );
    }

    #[test]
    fn raw_html_and_scripts_stay_text() {
        let html = to_html("<script>alert(1)</script>\n\nHallo <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn unsafe_links_and_images_lose_their_destination() {
        let html = to_html(
            "[klik](javascript:alert(1)) en ![logo](https://tracker.example/x.png) [weg](//evil.example)",
        );
        assert_eq!(html, "<p>klik en logo weg</p>\n");
        assert_eq!(
            to_html("[pagina](/indicators)"),
            "<p><a href=\"/indicators\">pagina</a></p>\n"
        );
    }
}
