//! Charts drawn on the server as SVG, from the same published figures as the
//! tables: a hidden figure is drawn as an empty dashed bar marked "ẩn", never as
//! a length that would give its value away. No script, so they print too. They
//! are shown as images, so their colours are attributes, not the page's styles.

use std::fmt::Write;

use super::view::Figure;

/// One bar: its label and its figure.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub figure: Figure,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn largest(bars: &[Bar]) -> u64 {
    bars.iter()
        .filter_map(|b| if let Figure::Count(n) = b.figure { Some(n) } else { None })
        .max()
        .unwrap_or(0)
        .max(1)
}

/// Vertical bars, for a series in time (cases by month).
pub fn columns(title: &str, bars: &[Bar], hidden: &str) -> String {
    let (width, height, top, bottom, left) = (640.0_f64, 240.0_f64, 24.0, 48.0, 8.0);
    let slot = (width - left * 2.0) / bars.len().max(1) as f64;
    let scale = (height - top - bottom) / largest(bars) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12" fill="#1b1f23"><title>{t}</title>"##,
        t = escape(title)
    );
    let base = height - bottom;
    for (i, bar) in bars.iter().enumerate() {
        let x = left + slot * i as f64 + slot * 0.15;
        let w = slot * 0.7;
        let label = escape(&bar.label);
        let cx = x + w / 2.0;
        match &bar.figure {
            Figure::Count(n) => {
                let h = (*n as f64 * scale).max(if *n > 0 { 1.0 } else { 0.0 });
                let _ = write!(
                    svg,
                    r##"<rect class="bar" fill="#0b4f4a" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}"><title>{label}: {n}</title></rect><text class="value" x="{cx:.1}" y="{ty:.1}" text-anchor="middle">{n}</text>"##,
                    y = base - h,
                    ty = base - h - 4.0,
                );
            }
            _ => {
                let _ = write!(
                    svg,
                    r##"<rect class="bar hidden" fill="none" stroke="#4a5258" stroke-dasharray="3 2" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="16"><title>{label}: {hid}</title></rect><text class="value" x="{cx:.1}" y="{ty:.1}" text-anchor="middle">{hid}</text>"##,
                    y = base - 16.0,
                    ty = base - 20.0,
                    hid = escape(hidden),
                );
            }
        }
        let _ = write!(
            svg,
            r##"<text class="label" x="{cx:.1}" y="{ly:.1}" text-anchor="end" transform="rotate(-40 {cx:.1} {ly:.1})">{label}</text>"##,
            ly = base + 14.0,
        );
    }
    let _ = write!(
        svg,
        r##"<line class="axis" stroke="#8a9490" x1="{left}" y1="{base}" x2="{x2}" y2="{base}"/></svg>"##,
        x2 = width - left
    );
    svg
}

/// Horizontal bars, for categories (forms of violence, kinds of house).
pub fn bars(title: &str, bars: &[Bar], hidden: &str) -> String {
    let (width, row, label_width, top) = (640.0_f64, 26.0_f64, 230.0_f64, 8.0_f64);
    let height = top * 2.0 + row * bars.len() as f64;
    let scale = (width - label_width - 60.0) / largest(bars) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12" fill="#1b1f23"><title>{t}</title>"##,
        t = escape(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let label = escape(&bar.label);
        let _ = write!(
            svg,
            r##"<text class="label" x="{lx:.1}" y="{ty:.1}" text-anchor="end">{label}</text>"##,
            lx = label_width - 8.0,
            ty = y + row * 0.65,
        );
        match &bar.figure {
            Figure::Count(n) => {
                let w = (*n as f64 * scale).max(if *n > 0 { 1.0 } else { 0.0 });
                let _ = write!(
                    svg,
                    r##"<rect class="bar" fill="#0b4f4a" x="{label_width}" y="{by:.1}" width="{w:.1}" height="{h:.1}"><title>{label}: {n}</title></rect><text class="value" x="{vx:.1}" y="{ty:.1}">{n}</text>"##,
                    by = y + 4.0,
                    h = row - 8.0,
                    vx = label_width + w + 6.0,
                    ty = y + row * 0.65,
                );
            }
            _ => {
                let _ = write!(
                    svg,
                    r##"<rect class="bar hidden" fill="none" stroke="#4a5258" stroke-dasharray="3 2" x="{label_width}" y="{by:.1}" width="24" height="{h:.1}"><title>{label}: {hid}</title></rect><text class="value" x="{vx:.1}" y="{ty:.1}">{hid}</text>"##,
                    by = y + 4.0,
                    h = row - 8.0,
                    vx = label_width + 30.0,
                    ty = y + row * 0.65,
                    hid = escape(hidden),
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The SVG as a `data:` address for an `<img>` (the pages' security policy
/// allows `data:` images): every byte but letters, digits and a few marks
/// percent-encoded.
pub fn data_uri(svg: &str) -> String {
    let mut out = String::from("data:image/svg+xml;charset=utf-8,");
    for byte in svg.bytes() {
        if byte.is_ascii_alphanumeric() || b" -_.~/=:;()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, figure: Figure) -> Bar {
        Bar { label: label.into(), figure }
    }

    #[test]
    fn a_hidden_figure_is_drawn_as_a_marked_bar_of_no_telling_length() {
        let svg =
            bars("Hình thức", &[bar("Thể chất", Figure::Count(12)), bar("Kinh tế", Figure::Hidden)], "ẩn");
        assert!(svg.contains(">12<"));
        assert!(svg.contains(r#"class="bar hidden""#) && svg.contains(">ẩn<"));
        let hidden_widths: Vec<&str> = svg.match_indices(r#"class="bar hidden""#).map(|_| "24").collect();
        assert_eq!(hidden_widths.len(), 1);
    }

    #[test]
    fn labels_are_escaped_so_a_name_cannot_break_the_page() {
        let svg = columns("<b>", &[bar("a<script>", Figure::Count(1))], "ẩn");
        assert!(!svg.contains("<script>") && !svg.contains("<b>"));
        assert!(svg.contains("a&lt;script&gt;"));
    }

    #[test]
    fn a_chart_becomes_an_image_address_with_nothing_that_could_end_an_attribute() {
        let uri = data_uri(&bars("Hình thức", &[bar("Thể chất", Figure::Count(3))], "ẩn"));
        assert!(uri.starts_with("data:image/svg+xml;charset=utf-8,%3Csvg"));
        let body = &uri["data:image/svg+xml;charset=utf-8,".len()..];
        assert!(!body.contains(['"', '<', '>', '&', '#', '\'']) && body.is_ascii());
        assert!(uri.contains("H%C3%ACnh"), "UTF-8 is percent-encoded");
    }

    #[test]
    fn the_longest_bar_is_the_largest_figure() {
        let svg = bars("t", &[bar("a", Figure::Count(5)), bar("b", Figure::Count(10))], "ẩn");
        let widths: Vec<f64> = svg
            .split(r#"class="bar" "#)
            .skip(1)
            .filter_map(|s| s.split("width=\"").nth(1)?.split('"').next()?.parse().ok())
            .collect();
        assert_eq!(widths.len(), 2);
        assert!(widths[1] > widths[0] * 1.9);
    }
}
