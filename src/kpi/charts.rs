//! Server-side SVG charts: a line chart (one line per series over the weeks) and a horizontal
//! bar chart. No JavaScript; each chart carries a `<title>` and `<desc>` and the page puts the
//! same figures in a table next to it. Text is escaped here, so templates may mark the SVG safe.
use std::fmt::Write;

use crate::i18n::Lang;

/// Colours that keep 3:1 contrast against white (WCAG non-text contrast), told apart by dash
/// pattern as well.
const COLOURS: [&str; 4] = ["#1f5f4a", "#8a3b12", "#2d4f8a", "#6b3f87"];
const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 5.0, 10.0] {
        if step * power >= max {
            return step * power;
        }
    }
    10.0 * power
}

/// A tick or bar value: at most two decimals, without trailing zeros (`0.25`, `1.5`, `3`),
/// with the language's decimal separator (`0,25` in Dutch).
fn number(value: f64, lang: Lang) -> String {
    let text = crate::i18n::format::number(value, 2, lang);
    let separator = if lang == Lang::Nl { ',' } else { '.' };
    if text.contains(separator) {
        text.trim_end_matches('0')
            .trim_end_matches(separator)
            .to_owned()
    } else {
        text
    }
}

pub struct Series<'a> {
    pub name: &'a str,
    pub values: Vec<f64>,
}

/// A line chart of `series` over `labels` (e.g. weeks). `id` makes the title's id unique.
pub fn line(id: &str, title: &str, labels: &[String], series: &[Series], lang: Lang) -> String {
    let (width, height) = (640.0, 260.0);
    let (left, right, top, bottom) = (44.0, 12.0, 12.0, 56.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let max = nice_max(
        series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0, f64::max),
    );
    let n = labels.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| top + plot_h * (1.0 - v / max);
    let mut svg = String::new();
    let desc = series.iter().map(|s| s.name).collect::<Vec<_>>().join(", ");
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(&desc)
    );
    for k in 0..=4 {
        let v = max * f64::from(k) / 4.0;
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#d5dbd8"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end" fill="#394147">{}</text>"##,
            width - right,
            left - 6.0,
            y(v) + 4.0,
            number(v, lang),
            y = y(v)
        );
    }
    let every = n.div_ceil(8);
    for (i, label) in labels.iter().enumerate() {
        if i % every == 0 || i == n - 1 {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{}" font-size="11" text-anchor="middle" fill="#394147">{}</text>"##,
                x(i),
                height - bottom + 16.0,
                escape(label)
            );
        }
    }
    for (k, s) in series.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let dash = DASHES[k % DASHES.len()];
        let points = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect::<Vec<_>>()
            .join(" ");
        let _ = write!(
            svg,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2.5" stroke-dasharray="{dash}" points="{points}"/>"#
        );
        // The legend, under the axis.
        let lx = left + 150.0 * k as f64;
        let ly = height - 14.0;
        let _ = write!(
            svg,
            r##"<line x1="{lx}" x2="{}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2.5" stroke-dasharray="{dash}"/><text x="{}" y="{}" font-size="12" fill="#1d2327">{}</text>"##,
            lx + 22.0,
            lx + 28.0,
            ly + 4.0,
            escape(s.name)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A horizontal bar chart: one bar per (label, value); `percent` shows values 0–1 as %.
pub fn bars(id: &str, title: &str, items: &[(String, f64)], percent: bool, lang: Lang) -> String {
    let bar = 22.0;
    let gap = 8.0;
    let (label_w, width) = (180.0, 640.0);
    let value_w = 60.0;
    let height = (items.len().max(1) as f64) * (bar + gap) + gap;
    let max = if percent {
        1.0
    } else {
        nice_max(items.iter().map(|(_, v)| *v).fold(0.0, f64::max))
    };
    let plot_w = width - label_w - value_w;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}-title" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title>"#,
        escape(title)
    );
    for (i, (label, value)) in items.iter().enumerate() {
        let y = gap + i as f64 * (bar + gap);
        let w = (plot_w * value / max).max(0.0);
        let shown = if percent {
            format!("{}%", crate::i18n::format::number(value * 100.0, 0, lang))
        } else {
            number(*value, lang)
        };
        let short: String = if label.chars().count() > 24 {
            format!("{}…", label.chars().take(23).collect::<String>())
        } else {
            label.clone()
        };
        let _ = write!(
            svg,
            r##"<text x="{}" y="{:.1}" font-size="12" text-anchor="end" fill="#1d2327">{}</text><rect x="{label_w}" y="{y:.1}" width="{w:.1}" height="{bar}" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#1d2327">{}</text>"##,
            label_w - 8.0,
            y + bar * 0.7,
            escape(&short),
            COLOURS[0],
            label_w + w + 6.0,
            y + bar * 0.7,
            shown
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(13.0), 20.0);
        assert_eq!(nice_max(41.0), 50.0);
        assert_eq!(nice_max(100.0), 100.0);
    }

    #[test]
    fn ticks_keep_quarters() {
        assert_eq!(number(0.25, Lang::En), "0.25");
        assert_eq!(number(0.5, Lang::En), "0.5");
        assert_eq!(number(0.5, Lang::Nl), "0,5");
        assert_eq!(number(3.0, Lang::Nl), "3");
        assert_eq!(number(0.0, Lang::En), "0");
    }

    #[test]
    fn text_in_charts_is_escaped() {
        let svg = bars("x", "<b>", &[("R&D <team>".into(), 3.0)], false, Lang::En);
        assert!(svg.contains("R&amp;D &lt;team&gt;") && svg.contains("&lt;b&gt;"));
        assert!(!svg.contains("<b>"));
        let svg = line(
            "y",
            "Weekly",
            &["2026-W01".into(), "2026-W02".into()],
            &[Series {
                name: "A & B",
                values: vec![1.0, 4.0],
            }],
            Lang::En,
        );
        assert!(svg.contains("A &amp; B") && svg.contains("<polyline"));
    }
}
