//! Server-side SVG charts: a line chart (one line per series over the weeks) and a horizontal
//! bar chart. No JavaScript; each chart carries a `<title>` and `<desc>` and the page puts the
//! same figures in a table next to it. Text is escaped here, so templates may mark the SVG safe.
//!
//! Charts are drawn for a phone: `WIDTH` units wide with text of `FONT` units. The stylesheet
//! scales a chart to its container and stops at 26rem, so text reads between about 13 and 17
//! CSS px. Labels are placed from a generous estimate of their width (`text_width`): the plot
//! leaves room for the longest tick, shows fewer x labels where they would touch, and shortens
//! long names with "…" (the table holds them whole). Text and axes take `currentColor`, the
//! series their colour from the classes `s0`–`s3` (the stylesheet's `--series-N`, which follow
//! a dark theme); the colours written here are only the fallback.
use std::fmt::Write;

use crate::i18n::Lang;

/// The width of every chart in SVG units: about a phone's content width (324 CSS px at 390).
const WIDTH: f64 = 320.0;
/// The size of all text in SVG units: at least 12 CSS px while a chart is 296 px or wider.
const FONT: f64 = 13.0;
/// Fallback colours that keep 3:1 contrast against white (WCAG non-text contrast), told apart
/// by dash pattern as well.
const COLOURS: [&str; 4] = ["#0b6e4f", "#8a3b12", "#2d4f8a", "#6b3f87"];
const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];
/// A legend entry's line and the gap after it.
const SWATCH: f64 = 26.0;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// How wide `text` is at `FONT`, estimated on the wide side: about DejaVu Sans's widths (what
/// `system-ui` often is on Linux), wider than the page's Inter and most fonts it falls back to.
fn text_width(text: &str) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'W' | 'M' | 'm' | 'w' | '%' | '@' | '…' => 1.0,
            'i' | 'j' | 'l' | 'I' | 'f' | 't' | 'r' | '.' | ',' | ':' | ';' | '\'' | '|' | '!'
            | ' ' => 0.4,
            c if u32::from(c) >= 0x2e80 => 1.05,
            c if c.is_ascii_digit() => 0.64,
            c if c.is_uppercase() => 0.76,
            _ => 0.62,
        })
        .sum();
    ems * FONT
}

/// `text`, shortened with "…" to at most `width` units.
fn fit(text: &str, width: f64) -> String {
    if text_width(text) <= width {
        return text.to_owned();
    }
    let mut short = String::new();
    for c in text.chars() {
        short.push(c);
        if text_width(&short) + text_width("…") > width {
            short.pop();
            break;
        }
    }
    format!("{}…", short.trim_end())
}

/// An x label in two rows, the year under the rest: `2026-W05` → (`W05`, `2026`),
/// `2026-Q1` → (`Q1`, `2026`); any other label stays whole on one row.
fn split_label(label: &str) -> (&str, Option<&str>) {
    match label.split_once('-') {
        Some((year, rest))
            if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) && !rest.is_empty() =>
        {
            (rest, Some(year))
        }
        _ => (label, None),
    }
}

/// Which of `n` x labels to show when neighbours are `step` apart and a label needs `slot`:
/// the last one and every so many before it, so that none touch.
fn shown_labels(n: usize, step: f64, slot: f64) -> Vec<usize> {
    let every = if n <= 1 || step <= 0.0 {
        1
    } else {
        ((slot / step).ceil() as usize).max(1)
    };
    let mut shown: Vec<usize> = (0..n).rev().step_by(every).collect();
    shown.reverse();
    shown
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

/// The values of a line chart's grid: from 0 in at most five equal steps of 1, 2 or 5 times a
/// power of ten (whole steps when every value is whole, e.g. people), the last at least `max`.
fn ticks(max: f64, whole: bool) -> Vec<f64> {
    let step = if max > 0.0 { nice_max(max / 5.0) } else { 1.0 };
    let step = if whole { step.max(1.0) } else { step };
    let steps = (max / step - 1e-9).ceil().clamp(1.0, 5.0) as u32;
    (0..=steps).map(|k| step * f64::from(k)).collect()
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

/// The opening tag, the title and the description of a chart `height` units high.
fn open(id: &str, height: f64, title: &str, desc: Option<&str>) -> String {
    let labelled = if desc.is_some() {
        format!("{id}-title {id}-desc")
    } else {
        format!("{id}-title")
    };
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" font-size="{FONT}" role="img" aria-labelledby="{labelled}" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title>"#,
        escape(title)
    );
    if let Some(desc) = desc {
        let _ = write!(svg, r#"<desc id="{id}-desc">{}</desc>"#, escape(desc));
    }
    svg
}

pub struct Series<'a> {
    pub name: &'a str,
    pub values: Vec<f64>,
}

/// Where a line chart's plot sits, in SVG units, and its scale.
struct Frame {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    n: usize,
    max: f64,
}

impl Frame {
    fn x(&self, i: usize) -> f64 {
        if self.n <= 1 {
            (self.left + self.right) / 2.0
        } else {
            self.left + (self.right - self.left) * i as f64 / (self.n - 1) as f64
        }
    }

    fn y(&self, value: f64) -> f64 {
        self.bottom - (self.bottom - self.top) * (value / self.max).clamp(0.0, 1.0)
    }
}

/// A line chart of `series` over `labels` (e.g. weeks), its axis reaching at least `scale_to`
/// (e.g. the top of a scale). `id` makes the title's id unique.
pub fn line(
    id: &str,
    title: &str,
    labels: &[String],
    series: &[Series],
    scale_to: Option<f64>,
    lang: Lang,
) -> String {
    let values = || series.iter().flat_map(|s| s.values.iter().copied());
    let grid = ticks(
        values().fold(scale_to.unwrap_or(0.0), f64::max),
        values().all(|v| v.fract() == 0.0),
    );
    let max = grid.last().copied().unwrap_or(1.0);
    let ticks: Vec<(f64, String)> = grid.into_iter().map(|v| (v, number(v, lang))).collect();
    let split: Vec<(&str, Option<&str>)> = labels.iter().map(|l| split_label(l)).collect();
    let label_w = split
        .iter()
        .map(|(rest, year)| text_width(rest).max(year.map_or(0.0, text_width)))
        .fold(0.0, f64::max);
    let tick_w = ticks.iter().map(|(_, t)| text_width(t)).fold(0.0, f64::max);
    let frame = Frame {
        left: (tick_w + 8.0).max(label_w / 2.0 + 2.0).ceil(),
        right: (WIDTH - (label_w / 2.0 + 2.0).max(8.0)).floor(),
        top: 12.0,
        bottom: 152.0,
        n: labels.len().max(1),
        max,
    };
    let axis_h = if split.iter().any(|(_, year)| year.is_some()) {
        42.0
    } else {
        26.0
    };
    let legend = legend_rows(series);
    let legend_top = frame.bottom + axis_h + 4.0;
    let height = legend_top + 20.0 * legend.len() as f64;
    let desc = series.iter().map(|s| s.name).collect::<Vec<_>>().join(", ");
    let mut svg = open(id, height, title, Some(&desc));
    y_axis(&mut svg, &frame, &ticks);
    x_axis(&mut svg, &frame, &split, label_w);
    for (k, s) in series.iter().enumerate() {
        let points = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", frame.x(i), frame.y(*v)))
            .collect::<Vec<_>>()
            .join(" ");
        let _ = write!(
            svg,
            r#"<g class="s{}" color="{}"><polyline fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round" stroke-dasharray="{}" points="{points}"/>"#,
            k % COLOURS.len(),
            COLOURS[k % COLOURS.len()],
            DASHES[k % DASHES.len()]
        );
        // Dots where the points are few enough to tell apart (a single point has no line).
        if s.values.len() <= 26 {
            for (i, v) in s.values.iter().enumerate() {
                let _ = write!(
                    svg,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="currentColor"/>"#,
                    frame.x(i),
                    frame.y(*v)
                );
            }
        }
        svg.push_str("</g>");
    }
    draw_legend(&mut svg, &legend, legend_top);
    svg.push_str("</svg>");
    svg
}

/// The horizontal grid with its values, right-aligned in the left margin.
fn y_axis(svg: &mut String, frame: &Frame, ticks: &[(f64, String)]) {
    for (v, text) in ticks {
        let y = frame.y(*v);
        let (class, opacity) = if *v == 0.0 {
            ("axis", "0.7")
        } else {
            ("grid", "0.2")
        };
        let _ = write!(
            svg,
            r#"<line class="{class}" x1="{}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="currentColor" stroke-opacity="{opacity}"/><text class="tick" x="{}" y="{:.1}" text-anchor="end" fill="currentColor">{}</text>"#,
            frame.left,
            frame.right,
            frame.left - 6.0,
            y + FONT * 0.35,
            escape(text)
        );
    }
}

/// The x labels under the plot, as many as fit; the year goes under the first label shown and
/// wherever it changes.
fn x_axis(svg: &mut String, frame: &Frame, split: &[(&str, Option<&str>)], label_w: f64) {
    let step = if frame.n > 1 {
        (frame.right - frame.left) / (frame.n - 1) as f64
    } else {
        0.0
    };
    let mut year_shown = None;
    for i in shown_labels(split.len(), step, label_w + 10.0) {
        let (rest, year) = split[i];
        let x = frame.x(i);
        let _ = write!(
            svg,
            r#"<text class="tick" x="{x:.1}" y="{}" text-anchor="middle" fill="currentColor">{}</text>"#,
            frame.bottom + 20.0,
            escape(rest)
        );
        if let Some(year) = year.filter(|y| year_shown != Some(*y)) {
            let _ = write!(
                svg,
                r#"<text class="tick" x="{x:.1}" y="{}" text-anchor="middle" fill="currentColor">{}</text>"#,
                frame.bottom + 36.0,
                escape(year)
            );
            year_shown = Some(year);
        }
    }
}

/// A legend entry: the series' index, where it starts and its (maybe shortened) name.
type Entry = (usize, f64, String);

/// The legend laid out in rows as wide as the chart.
fn legend_rows(series: &[Series]) -> Vec<Vec<Entry>> {
    let mut rows: Vec<Vec<Entry>> = Vec::new();
    let mut x = 0.0;
    for (k, s) in series.iter().enumerate() {
        let name = fit(s.name, WIDTH - SWATCH);
        let w = SWATCH + text_width(&name);
        match rows.last_mut() {
            Some(row) if x + w <= WIDTH => row.push((k, x, name)),
            _ => {
                x = 0.0;
                rows.push(vec![(k, x, name)]);
            }
        }
        x += w + 16.0;
    }
    rows
}

fn draw_legend(svg: &mut String, rows: &[Vec<Entry>], top: f64) {
    for (r, row) in rows.iter().enumerate() {
        let y = top + 20.0 * r as f64;
        for (k, x, name) in row {
            let _ = write!(
                svg,
                r#"<g class="s{}" color="{}"><line x1="{x}" x2="{}" y1="{}" y2="{}" stroke="currentColor" stroke-width="2.5" stroke-dasharray="{}"/></g><text x="{}" y="{}" fill="currentColor">{}</text>"#,
                k % COLOURS.len(),
                COLOURS[k % COLOURS.len()],
                x + SWATCH - 6.0,
                y + 9.0,
                y + 9.0,
                DASHES[k % DASHES.len()],
                x + SWATCH,
                y + 13.5,
                escape(name)
            );
        }
    }
}

/// A horizontal bar chart: one bar per (label, value) under its label, the value at the end
/// of the label's line; `percent` shows values 0–1 as %.
pub fn bars(id: &str, title: &str, items: &[(String, f64)], percent: bool, lang: Lang) -> String {
    let row = 44.0;
    let height = (items.len().max(1) as f64) * row;
    let max = if percent {
        1.0
    } else {
        nice_max(items.iter().map(|(_, v)| *v).fold(0.0, f64::max))
    };
    let mut svg = open(id, height, title, None);
    for (i, (label, value)) in items.iter().enumerate() {
        let top = i as f64 * row;
        let shown = if percent {
            format!("{}%", crate::i18n::format::number(value * 100.0, 0, lang))
        } else {
            number(*value, lang)
        };
        let name = fit(label, WIDTH - text_width(&shown) - 12.0);
        let w = (WIDTH * value / max).clamp(0.0, WIDTH);
        let _ = write!(
            svg,
            r#"<text x="0" y="{text_y}" fill="currentColor">{}</text><text x="{WIDTH}" y="{text_y}" text-anchor="end" fill="currentColor">{}</text><rect x="0" y="{bar_y}" width="{WIDTH}" height="14" fill="currentColor" fill-opacity="0.08"/><g class="s0" color="{}"><rect x="0" y="{bar_y}" width="{w:.1}" height="14" fill="currentColor"/></g>"#,
            escape(&name),
            escape(&shown),
            COLOURS[0],
            text_y = top + 14.0,
            bar_y = top + 20.0,
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
    fn grids_take_round_steps() {
        assert_eq!(ticks(0.0, true), [0.0, 1.0]);
        assert_eq!(ticks(3.0, true), [0.0, 1.0, 2.0, 3.0]);
        assert_eq!(ticks(5.0, false), [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(ticks(7.0, true), [0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(ticks(13.0, true), [0.0, 5.0, 10.0, 15.0]);
        assert_eq!(ticks(1234.0, true), [0.0, 500.0, 1000.0, 1500.0]);
        assert_eq!(ticks(3.2, false), [0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(ticks(0.3, false).len(), 4);
        assert_eq!(ticks(0.75, false).last(), Some(&0.8));
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
            None,
            Lang::En,
        );
        assert!(svg.contains("A &amp; B") && svg.contains("<polyline"));
    }

    fn weeks(n: u32) -> Vec<String> {
        (0..n)
            .map(|i| format!("{}-W{:02}", 2025 + (i + 40) / 52, (i + 40) % 52 + 1))
            .collect()
    }

    /// The `<text>` elements of `svg`: (x, anchor, content).
    fn texts(svg: &str) -> Vec<(f64, String, String)> {
        svg.split("<text ")
            .skip(1)
            .map(|t| {
                let (tag, rest) = t.split_once('>').unwrap();
                let tag = format!(" {tag}");
                let attr = |name: &str| {
                    tag.split(&format!(" {name}=\""))
                        .nth(1)
                        .and_then(|rest| rest.split('"').next())
                        .unwrap_or("")
                        .to_owned()
                };
                let content = rest.split('<').next().unwrap();
                (
                    attr("x").parse().unwrap(),
                    attr("text-anchor"),
                    content.to_owned(),
                )
            })
            .collect()
    }

    /// Every text of `svg` fits in the chart's width, by the same estimate the layout uses.
    fn assert_texts_fit(svg: &str) {
        for (x, anchor, content) in texts(svg) {
            let w = text_width(&content.replace("&amp;", "&"));
            let (from, to) = match anchor.as_str() {
                "end" => (x - w, x),
                "middle" => (x - w / 2.0, x + w / 2.0),
                _ => (x, x + w),
            };
            assert!(from >= 0.0 && to <= WIDTH, "{content:?} spans {from}..{to}");
        }
    }

    #[test]
    fn a_year_of_weeks_shows_a_few_labels_that_fit() {
        let labels = weeks(52);
        let values: Vec<f64> = (0..52).map(|i| f64::from(i * 37 % 1234)).collect();
        let svg = line(
            "w",
            "Weekly",
            &labels,
            &[
                Series {
                    name: "Contributors",
                    values: values.clone(),
                },
                Series {
                    name: "A very long series name that will never fit on a phone's width",
                    values,
                },
            ],
            None,
            Lang::Nl,
        );
        assert_texts_fit(&svg);
        let shown = texts(&svg)
            .into_iter()
            .filter(|(_, _, t)| t.starts_with('W'))
            .count();
        assert!((4..=8).contains(&shown), "{shown} week labels");
        // The last week is labelled; each year is written once, under its first label.
        assert!(svg.contains(">W40<") && svg.contains(">2025<") && svg.contains(">2026<"));
        assert_eq!(svg.matches(">2026<").count(), 1);
        assert!(
            svg.contains("1.500") && svg.contains("…"),
            "Dutch ticks, a shortened name"
        );
    }

    #[test]
    fn one_point_is_a_dot_in_the_middle() {
        let svg = line(
            "r",
            "Readiness",
            &["2026-Q1".into()],
            &[Series {
                name: "Score",
                values: vec![3.0],
            }],
            Some(5.0),
            Lang::En,
        );
        assert_texts_fit(&svg);
        assert!(svg.contains("<circle") && svg.contains(">Q1<") && svg.contains(">2026<"));
        assert!(svg.contains(">5</text>"), "the scale's top");
    }

    #[test]
    fn long_bar_labels_are_shortened_beside_their_values() {
        let items = [
            (
                "Research & Development (Benelux and Nordics)".to_owned(),
                0.5,
            ),
            ("Sales".to_owned(), 1.0),
        ];
        let svg = bars("d", "Participation", &items, true, Lang::En);
        assert_texts_fit(&svg);
        assert!(svg.contains("Research &amp; Development") && svg.contains("…"));
        assert!(svg.contains(">100%<") && svg.contains(">50%<"));
    }

    #[test]
    fn labels_split_and_shorten() {
        assert_eq!(split_label("2026-W05"), ("W05", Some("2026")));
        assert_eq!(split_label("Week 5"), ("Week 5", None));
        assert_eq!(fit("Sales", 100.0), "Sales");
        let short = fit("Research and Development", 80.0);
        assert!(
            short.ends_with('…') && text_width(&short) <= 80.0,
            "{short}"
        );
        assert_eq!(shown_labels(4, 90.0, 40.0), vec![0, 1, 2, 3]);
        assert_eq!(shown_labels(12, 24.0, 40.0), vec![1, 3, 5, 7, 9, 11]);
        assert_eq!(shown_labels(1, 0.0, 40.0), vec![0]);
    }
}
